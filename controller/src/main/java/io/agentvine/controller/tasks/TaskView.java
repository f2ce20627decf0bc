package io.agentvine.controller.tasks;

import io.agentvine.model.TokenUsage;
import java.time.Instant;

/** A task as the API shows it. */
public record TaskView(
        String id,
        String type,
        String state,
        String priority,
        String queue,
        String repositoryUrl,
        String branch,
        String title,
        String permissionLevel,
        String modelTier,
        String model,
        String routingReason,
        Double estimatedCostUsd,
        String idempotencyKey,
        String workerId,
        int attempts,
        Object result,
        String error,
        TokenUsage tokenUsage,
        double costUsd,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant finishedAt) {
}
