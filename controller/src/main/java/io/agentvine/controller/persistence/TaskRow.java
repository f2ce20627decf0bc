package io.agentvine.controller.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A task and its current state; {@code workOrder} is the order as enqueued (contract JSON). */
@MappedEntity("tasks")
public record TaskRow(
        @Id String id,
        String type,
        String state,
        String priority,
        String queueLevel,
        String repositoryUrl,
        @Nullable String branch,
        String title,
        String permissionLevel,
        String modelTier,
        String model,
        String routingReason,
        @Nullable Double estimatedCostUsd,
        @Nullable String idempotencyKey,
        String workOrder,
        @Nullable String workerId,
        int attempts,
        @Nullable String result,
        @Nullable String error,
        long inputTokens,
        long outputTokens,
        long cacheReadTokens,
        long cacheCreationTokens,
        double costUsd,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant startedAt,
        @Nullable Instant finishedAt) {

    public TaskRow withState(String newState, @Nullable String newError, Instant at) {
        boolean finished = switch (newState) {
            case "completed", "failed", "dead", "cancelled" -> true;
            default -> false;
        };
        return new TaskRow(id, type, newState, priority, queueLevel, repositoryUrl, branch, title, permissionLevel,
                modelTier, model, routingReason, estimatedCostUsd, idempotencyKey, workOrder, workerId, attempts,
                result, newError, inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens, costUsd,
                createdAt, at, startedAt, finished ? at : null);
    }

    /** An attempt started on a worker. */
    public TaskRow running(String worker, int attempt, Instant at) {
        return new TaskRow(id, type, "running", priority, queueLevel, repositoryUrl, branch, title, permissionLevel,
                modelTier, model, routingReason, estimatedCostUsd, idempotencyKey, workOrder, worker,
                Math.max(attempts, attempt), result, null, inputTokens, outputTokens, cacheReadTokens,
                cacheCreationTokens, costUsd, createdAt, at, startedAt == null ? at : startedAt, null);
    }

    public TaskRow completed(@Nullable String newResult, Instant at) {
        TaskRow r = withState("completed", null, at);
        return new TaskRow(id, type, r.state(), priority, queueLevel, repositoryUrl, branch, title, permissionLevel,
                modelTier, model, routingReason, estimatedCostUsd, idempotencyKey, workOrder, workerId, attempts,
                newResult, null, inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens, costUsd, createdAt,
                at, startedAt, at);
    }

    public TaskRow plusUsage(long in, long out, long cacheRead, long cacheCreation, double cost, Instant at) {
        return new TaskRow(id, type, state, priority, queueLevel, repositoryUrl, branch, title, permissionLevel,
                modelTier, model, routingReason, estimatedCostUsd, idempotencyKey, workOrder, workerId, attempts,
                result, error, inputTokens + in, outputTokens + out, cacheReadTokens + cacheRead,
                cacheCreationTokens + cacheCreation, costUsd + cost, createdAt, at, startedAt, finishedAt);
    }

    public boolean isFinal() {
        return switch (state) {
            case "completed", "failed", "dead", "cancelled" -> true;
            default -> false;
        };
    }

    public TaskRow withPriority(String newPriority, String newLevel, Instant at) {
        return new TaskRow(id, type, state, newPriority, newLevel, repositoryUrl, branch, title, permissionLevel,
                modelTier, model, routingReason, estimatedCostUsd, idempotencyKey, workOrder, workerId, attempts,
                result, error, inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens, costUsd,
                createdAt, at, startedAt, finishedAt);
    }
}
