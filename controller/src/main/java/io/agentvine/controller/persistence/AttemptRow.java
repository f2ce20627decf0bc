package io.agentvine.controller.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** One attempt of a task: which worker ran it, when, how it ended, what it used. */
@MappedEntity("task_attempts")
public record AttemptRow(
        @Id @GeneratedValue @Nullable Long id,
        String taskId,
        int attempt,
        @Nullable String workerId,
        @Nullable String model,
        @Nullable Instant startedAt,
        @Nullable Instant endedAt,
        @Nullable String outcome,
        @Nullable String reason,
        @Nullable String result,
        long inputTokens,
        long outputTokens,
        long cacheReadTokens,
        long cacheCreationTokens,
        double costUsd) {

    public static AttemptRow start(String taskId, int attempt, String workerId, String model, Instant at) {
        return new AttemptRow(null, taskId, attempt, workerId, model, at, null, null, null, null, 0, 0, 0, 0, 0.0);
    }

    public AttemptRow ended(String newOutcome, @Nullable String newReason, @Nullable String newResult, Instant at) {
        return new AttemptRow(id, taskId, attempt, workerId, model, startedAt, at, newOutcome, newReason, newResult,
                inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens, costUsd);
    }

    public AttemptRow plusUsage(long in, long out, long cacheRead, long cacheCreation, double cost, @Nullable String newModel) {
        return new AttemptRow(id, taskId, attempt, workerId, newModel == null ? model : newModel, startedAt, endedAt,
                outcome, reason, result, inputTokens + in, outputTokens + out, cacheReadTokens + cacheRead,
                cacheCreationTokens + cacheCreation, costUsd + cost);
    }
}
