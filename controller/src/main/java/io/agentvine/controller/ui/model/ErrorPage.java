package io.agentvine.controller.ui.model;

/** A refused or failed dashboard request: the status and the message (never a stack trace). */
public record ErrorPage(int status, String reason, String message) {
}
