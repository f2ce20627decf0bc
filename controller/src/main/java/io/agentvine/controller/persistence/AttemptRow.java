package io.agentvine.controller.persistence;

import io.agentvine.model.WorkOrderState;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import java.time.Instant;

/**
 * One run of a task's attempt: which worker ran it, when, how it ended, what it used. The reports read
 * this table alone (V10__report_columns.sql): the run carries what they group and filter by, copied from
 * its task when the run is written ({@code taskType}, {@code repositoryUrl}, {@code modelTier},
 * {@code taskModel}, {@code taskCreatedAt}; none of them ever change on a task), the task's state, which
 * {@link TaskStore} keeps equal to the task's on every change of it, and {@code reportedAt}, the instant
 * the run counts at: its start, or its end when its start was never seen.
 */
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
        double costUsd,
        String taskType,
        String repositoryUrl,
        String modelTier,
        String taskModel,
        @TypeDef(type = DataType.STRING, converter = StateColumn.class) WorkOrderState taskState,
        Instant taskCreatedAt,
        @Nullable Instant reportedAt) {

    /** A run of {@code task} (as it is now) that started {@code at}, or whose start was not seen ({@code at} null). */
    public static AttemptRow start(TaskRow task, int attempt, String workerId, String model, @Nullable Instant at) {
        return new AttemptRow(null, task.id(), attempt, workerId, model, at, null, null, null, null, 0, 0, 0, 0, 0.0,
                task.type(), task.repositoryUrl(), task.modelTier(), task.model(), task.state(), task.createdAt(), at);
    }

    public AttemptRow ended(String newOutcome, @Nullable String newReason, @Nullable String newResult, Instant at) {
        return new AttemptRow(id, taskId, attempt, workerId, model, startedAt, at, newOutcome, newReason, newResult,
                inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens, costUsd, taskType, repositoryUrl,
                modelTier, taskModel, taskState, taskCreatedAt, startedAt == null ? at : reportedAt);
    }

    public AttemptRow plusUsage(long in, long out, long cacheRead, long cacheCreation, double cost, @Nullable String newModel) {
        return new AttemptRow(id, taskId, attempt, workerId, newModel == null ? model : newModel, startedAt, endedAt,
                outcome, reason, result, inputTokens + in, outputTokens + out, cacheReadTokens + cacheRead,
                cacheCreationTokens + cacheCreation, costUsd + cost, taskType, repositoryUrl, modelTier, taskModel,
                taskState, taskCreatedAt, reportedAt);
    }
}
