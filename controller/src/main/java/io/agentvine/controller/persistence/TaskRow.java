package io.agentvine.controller.persistence;

import io.agentvine.controller.domain.TaskEvent;
import io.agentvine.controller.domain.TaskStateMachine;
import io.agentvine.model.Json;
import io.agentvine.model.QueueLevel;
import io.agentvine.model.WorkOrder;
import io.agentvine.model.WorkOrderState;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import java.time.Instant;
import java.util.Optional;

/**
 * A task and its current state; {@code workOrder} is the order as enqueued (contract JSON). A new row
 * comes from {@link #queued}; its state changes only through {@link #started}, {@link #completed} and
 * {@link #after}, which ask {@link TaskStateMachine} and return the row unchanged when it refuses.
 * {@code step} and {@code stepSince} are where a running task is on its worker ({@link #withStep}); a
 * task that is not running (or awaiting approval, which runs on) has none.
 */
@MappedEntity("tasks")
public record TaskRow(
        @Id String id,
        String type,
        @TypeDef(type = DataType.STRING, converter = StateColumn.class) WorkOrderState state,
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
        @Nullable Instant finishedAt,
        @Nullable String step,
        @Nullable Instant stepSince) {

    /** A new task, queued in {@code queue}; the order (routed already) is kept as the contract's JSON. */
    public static TaskRow queued(WorkOrder order, QueueLevel queue, String routingReason, @Nullable Double estimatedCostUsd,
                                 Instant at) {
        return new TaskRow(order.taskId(), order.type().name(), WorkOrderState.QUEUED, order.priority().name(),
                queue.wireName(), order.repositoryUrl(), order.branch(), order.title(), order.permissionLevel().wireName(),
                order.modelTier().wireName(), order.model(), routingReason, estimatedCostUsd, order.idempotencyKey(),
                Json.write(order), null, 0, null, null, 0, 0, 0, 0, 0.0, at, at, null, null, null, null);
    }

    /** A new task that waits for its parents (state waiting, outside the queue); its order is enqueued when released. */
    public static TaskRow waiting(WorkOrder order, QueueLevel queue, String routingReason, @Nullable Double estimatedCostUsd,
                                  Instant at) {
        TaskRow queued = queued(order, queue, routingReason, estimatedCostUsd, at);
        return new TaskRow(queued.id, queued.type, WorkOrderState.WAITING, queued.priority, queued.queueLevel,
                queued.repositoryUrl, queued.branch, queued.title, queued.permissionLevel, queued.modelTier, queued.model,
                queued.routingReason, queued.estimatedCostUsd, queued.idempotencyKey, queued.workOrder, null, 0, null, null,
                0, 0, 0, 0, 0.0, at, at, null, null, null, null);
    }

    /** The same task with the order it will be enqueued with (a waiting task's order gets its continuation at release). */
    public TaskRow withWorkOrder(String newWorkOrder, Instant at) {
        return new TaskRow(id, type, state, priority, queueLevel, repositoryUrl, branch, title, permissionLevel, modelTier,
                model, routingReason, estimatedCostUsd, idempotencyKey, newWorkOrder, workerId, attempts, result, error,
                inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens, costUsd, createdAt, at, startedAt, finishedAt,
                step, stepSince);
    }

    /** {@code event} with its {@code reason} (the error shown, null for none); this row when the machine refuses. */
    public TaskRow after(TaskEvent event, @Nullable String reason, Instant at) {
        if (event == TaskEvent.STARTED || event == TaskEvent.COMPLETED) {
            throw new IllegalArgumentException(event + " carries a worker or a result: use started() or completed()");
        }
        return next(event).map(s -> new TaskRow(id, type, s, priority, queueLevel, repositoryUrl, branch, title,
                permissionLevel, modelTier, model, routingReason, estimatedCostUsd, idempotencyKey, workOrder, workerId,
                attempts, result, reason, inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens, costUsd,
                createdAt, at, startedAt, s.isFinal() ? at : null, holdsStep(s) ? step : null,
                holdsStep(s) ? stepSince : null)).orElse(this);
    }

    /** Attempt {@code attempt} started on {@code worker}; this row when the machine refuses. */
    public TaskRow started(String worker, int attempt, Instant at) {
        return next(TaskEvent.STARTED).map(s -> new TaskRow(id, type, s, priority, queueLevel, repositoryUrl, branch,
                title, permissionLevel, modelTier, model, routingReason, estimatedCostUsd, idempotencyKey, workOrder, worker,
                Math.max(attempts, attempt), result, null, inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens,
                costUsd, createdAt, at, startedAt == null ? at : startedAt, null, null, null)).orElse(this);
    }

    /** Completed with {@code newResult} (the contract's JSON, or null); this row when the machine refuses. */
    public TaskRow completed(@Nullable String newResult, Instant at) {
        return next(TaskEvent.COMPLETED).map(s -> new TaskRow(id, type, s, priority, queueLevel, repositoryUrl, branch,
                title, permissionLevel, modelTier, model, routingReason, estimatedCostUsd, idempotencyKey, workOrder, workerId,
                attempts, newResult, null, inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens, costUsd,
                createdAt, at, startedAt, at, null, null)).orElse(this);
    }

    private Optional<WorkOrderState> next(TaskEvent event) {
        return TaskStateMachine.move(id, state, event);
    }

    public TaskRow plusUsage(long in, long out, long cacheRead, long cacheCreation, double cost, Instant at) {
        return new TaskRow(id, type, state, priority, queueLevel, repositoryUrl, branch, title, permissionLevel,
                modelTier, model, routingReason, estimatedCostUsd, idempotencyKey, workOrder, workerId, attempts,
                result, error, inputTokens + in, outputTokens + out, cacheReadTokens + cacheRead,
                cacheCreationTokens + cacheCreation, costUsd + cost, createdAt, at, startedAt, finishedAt, step, stepSince);
    }

    public TaskRow withPriority(String newPriority, String newLevel, Instant at) {
        return new TaskRow(id, type, state, newPriority, newLevel, repositoryUrl, branch, title, permissionLevel,
                modelTier, model, routingReason, estimatedCostUsd, idempotencyKey, workOrder, workerId, attempts,
                result, error, inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens, costUsd,
                createdAt, at, startedAt, finishedAt, step, stepSince);
    }

    /** The running task entered {@code newStep} (a {@link io.agentvine.model.RunStep} wire name) at {@code since}. */
    public TaskRow withStep(String newStep, Instant since) {
        return new TaskRow(id, type, state, priority, queueLevel, repositoryUrl, branch, title, permissionLevel,
                modelTier, model, routingReason, estimatedCostUsd, idempotencyKey, workOrder, workerId, attempts,
                result, error, inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens, costUsd,
                createdAt, updatedAt, startedAt, finishedAt, newStep, since);
    }

    /** A task in {@code s} is on a worker and has a step: running, or awaiting approval (the run waits). */
    public static boolean holdsStep(WorkOrderState s) {
        return s == WorkOrderState.RUNNING || s == WorkOrderState.AWAITING_APPROVAL;
    }
}
