package io.agentvine.controller.tasks;

import io.agentvine.model.Budget;
import java.util.Map;

/** The body of POST /api/v1/tasks. Enum-valued fields are strings so that a bad value gets a clear message. */
public record TaskRequest(
        String type,
        String repositoryUrl,
        String branch,
        String title,
        String instructions,
        String priority,
        String permissionLevel,
        String testCommand,
        String modelTier,
        String model,
        Budget budget,
        String idempotencyKey,
        Integer maxAttempts,
        Map<String, Object> metadata) {
}
