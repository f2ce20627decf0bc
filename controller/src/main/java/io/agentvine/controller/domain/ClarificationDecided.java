package io.agentvine.controller.domain;

/**
 * A clarification request was decided (answered, approved, rejected, expired, orphaned), or a run parked on one;
 * published inside the transaction that wrote it, heard after its commit: a parked run whose human decided goes
 * back to the queue then.
 */
public record ClarificationDecided(String taskId, String requestId) {
}
