package io.agentvine.controller.tasks;

import io.agentvine.model.TokenUsage;
import java.time.Instant;
import java.util.List;

/**
 * A task as the API shows it.
 *
 * @param attemptHistory every attempt: worker, start and end, outcome and reason, tokens and cost
 * @param logLocation    where the agent's output of the latest attempt is: the worker reports it in its
 *                       {@code started} event ({@code metadata.log_location}); before that, the worker
 *                       id and the runtime's path convention {@code logs/<task-id>.log}
 * @param step           where the running task is on its worker ({@code io.agentvine.model.RunStep}'s wire
 *                       name: cloning, agent_running, testing…); null when it is not running
 * @param stepSince      when it entered {@code step} (the worker's clock); null with {@code step}
 */
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
        List<AttemptView> attemptHistory,
        String logLocation,
        Object result,
        String error,
        TokenUsage tokenUsage,
        double costUsd,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant finishedAt,
        String step,
        Instant stepSince) {

    /** One attempt of a task; {@code result} is what its worker reported (for a failure: the tests' output tail, the usage…). */
    public record AttemptView(int attempt, String workerId, String model, Instant startedAt, Instant endedAt,
                              String outcome, String reason, TokenUsage tokenUsage, double costUsd, Object result) {
    }
}
