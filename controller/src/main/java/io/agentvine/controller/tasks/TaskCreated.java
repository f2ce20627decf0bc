package io.agentvine.controller.tasks;

/**
 * The answer to POST /api/v1/tasks.
 *
 * @param created false when the idempotency key named an existing task (then the status is 200, not 201)
 * @param note    says so when no live worker serves the type yet: the task waits in its queue; or that it
 *                waits for its parents
 * @param pipeline a pipeline's steps, in order (the first step is the answer's own task); null for one task
 */
public record TaskCreated(String id, String state, String queue, String modelTier, String model, String routingReason,
                          Double estimatedCostUsd, boolean created, String note, java.util.List<Step> pipeline) {

    public TaskCreated(String id, String state, String queue, String modelTier, String model, String routingReason,
                       Double estimatedCostUsd, boolean created, String note) {
        this(id, state, queue, modelTier, model, routingReason, estimatedCostUsd, created, note, null);
    }

    /** One step of a pipeline as created: its name, task id, type, state and the tasks it waits for. */
    public record Step(String step, String id, String type, String state, java.util.List<String> dependsOn) {
    }

    public TaskCreated withPipeline(java.util.List<Step> steps) {
        return new TaskCreated(id, state, queue, modelTier, model, routingReason, estimatedCostUsd, created, note, steps);
    }
}
