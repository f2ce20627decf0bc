package io.agentvine.controller.tasks;

import io.agentvine.model.Budget;
import java.util.Map;

/**
 * The body of POST /api/v1/tasks/{id}/follow-ups: what to do next on the task's work branch. Every field but
 * {@code instructions} defaults to the task's own (the title to "Follow-up: <title>"); the budget's cost is
 * at most what the chain has left.
 */
public record FollowUpRequest(
        String instructions,
        String title,
        String type,
        String priority,
        String testCommand,
        String modelTier,
        String model,
        Budget budget,
        String idempotencyKey,
        Integer maxAttempts,
        Map<String, Object> metadata) {
}
