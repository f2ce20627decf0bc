package io.agentvine.controller.tasks;

/**
 * The answer to POST /api/v1/tasks.
 *
 * @param created false when the idempotency key named an existing task (then the status is 200, not 201)
 * @param note    says so when no live worker serves the type yet: the task waits in its queue
 */
public record TaskCreated(String id, String state, String queue, String modelTier, String model, String routingReason,
                          Double estimatedCostUsd, boolean created, String note) {
}
