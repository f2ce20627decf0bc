package io.agentvine.controller.domain;

import io.agentvine.model.WorkOrderState;

/**
 * A task reached a final state (completed, failed, dead, cancelled); published by the persistence layer
 * inside the transaction that wrote it, heard after its commit (the chains' releaser wakes up).
 */
public record TaskEnded(String taskId, WorkOrderState state) {
}
