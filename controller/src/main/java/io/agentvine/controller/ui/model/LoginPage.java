package io.agentvine.controller.ui.model;

/** The sign-in form: where to go after it ({@code next}, a /ui path) and the message of a failed try. */
public record LoginPage(String next, String error) {
}
