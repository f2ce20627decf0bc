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
 * @param dependsOn      the tasks it waits for or waited for (single-task reads only)
 * @param chain          its chain, first task first: follow-ups and pipeline steps (single-task reads only; null
 *                       when it belongs to none)
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
        Instant stepSince,
        List<String> dependsOn,
        List<ChainLink> chain) {

    /** A task of a chain: {@code continues} is the task whose work branch it continues, {@code step} its pipeline step. */
    public record ChainLink(String id, String title, String type, String state, String continues, String step,
                            double costUsd) {
    }

    /** One attempt of a task; {@code result} is what its worker reported (for a failure: the tests' output tail, the usage…). */
    public record AttemptView(int attempt, String workerId, String model, Instant startedAt, Instant endedAt,
                              String outcome, String reason, TokenUsage tokenUsage, double costUsd, Object result) {
    }
}
