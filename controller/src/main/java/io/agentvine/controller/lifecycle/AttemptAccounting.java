package io.agentvine.controller.lifecycle;

import io.agentvine.controller.budgets.Budgets;
import io.agentvine.controller.metrics.RunMetrics;
import io.agentvine.controller.persistence.AttemptRepository;
import io.agentvine.controller.persistence.AttemptRow;
import io.agentvine.controller.persistence.TaskRepository;
import io.agentvine.controller.persistence.TaskRow;
import io.agentvine.model.Json;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.model.TokenUsage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a lifecycle event adds to the record of an attempt: its row when it starts (and the
 * claim-to-start latency and queue wait), its end and outcome (and run, clone and agent time), and the
 * tokens and cost it used, summed on the task and the attempt and counted by task type and model
 * ({@link RunMetrics}: bounded tags only). A run's row carries what the reports group by, copied from its
 * task ({@link AttemptRow#start}); the usage counts in the budgets ({@link Budgets#spent}). Runs inside {@link LifecycleApplier}'s transaction, which has found the task.
 */
@Singleton
public class AttemptAccounting {
    private final TaskRepository tasks;
    private final AttemptRepository attempts;
    private final MeterRegistry meters;
    private final RunMetrics runMetrics;
    private final Budgets budgets;

    public AttemptAccounting(TaskRepository tasks, AttemptRepository attempts, MeterRegistry meters, RunMetrics runMetrics,
                             Budgets budgets) {
        this.budgets = budgets;
        this.tasks = tasks;
        this.attempts = attempts;
        this.meters = meters;
        this.runMetrics = runMetrics;
    }

    /** The attempt's row, once, the claim-to-start latency and how long the order waited in the queue. */
    public void started(LifecycleEvent e) {
        if (attempts.findByTaskIdAndAttemptAndWorkerId(e.taskId(), e.attempt(), e.workerId()).isEmpty()) {
            TaskRow task = tasks.findById(e.taskId()).orElseThrow();
            // Queued since the task was created, or since its last run ended (a retry, a recovery, a release).
            Instant queuedSince = attempts.findByTaskIdOrderByAttemptAndId(e.taskId()).stream().map(AttemptRow::endedAt)
                    .filter(Objects::nonNull).max(Instant::compareTo).orElse(task.createdAt());
            attempts.save(AttemptRow.start(task, e.attempt(), e.workerId(), e.model(), e.at()));
            runMetrics.queueWait(task.type(), task.queueLevel(),
                    Duration.between(queuedSince, e.claimedAt() == null ? e.at() : e.claimedAt()));
        }
        recordClaimToStart(e);
    }

    /** The attempt ended with {@code outcome} (its row is made if its start was never seen). */
    public void ended(LifecycleEvent e, String outcome, String reason) {
        TaskRow task = tasks.findById(e.taskId()).orElseThrow();
        AttemptRow a = attempts.findByTaskIdAndAttemptAndWorkerId(e.taskId(), e.attempt(), e.workerId())
                .orElseGet(() -> attempts.save(AttemptRow.start(task, e.attempt(), e.workerId(), e.model(), null)));
        attempts.update(a.ended(outcome, reason, e.result().isEmpty() ? null : Json.write(e.result()), e.at()));
        runMetrics.runEnded(task.type(), outcome, a.startedAt() == null ? null : Duration.between(a.startedAt(), e.at()));
        if (e.result().get("timings") instanceof Map<?, ?> timings) {
            runMetrics.phases(task.type(), task.modelTier(), millis(timings.get("clone_ms")), millis(timings.get("agent_ms")));
        }
    }

    private static Duration millis(Object value) {
        return value instanceof Number n && n.doubleValue() >= 0 ? Duration.ofNanos((long) (n.doubleValue() * 1_000_000)) : null;
    }

    /** Adds the event's usage to the task and its attempt; returns the task as written. */
    public TaskRow usage(TaskRow task, LifecycleEvent e) {
        TokenUsage u = e.tokenUsage();
        double cost = e.costUsd() == null ? 0.0 : e.costUsd();
        if (u == null && cost == 0.0) {
            return task;
        }
        TokenUsage t = u == null ? TokenUsage.ZERO : u;
        TaskRow written = tasks.update(task.plusUsage(t.inputTokens(), t.outputTokens(), t.cacheReadTokens(), t.cacheCreationTokens(), cost, e.at()));
        attempts.findByTaskIdAndAttemptAndWorkerId(e.taskId(), e.attempt(), e.workerId()).ifPresent(a -> attempts.update(
                a.plusUsage(t.inputTokens(), t.outputTokens(), t.cacheReadTokens(), t.cacheCreationTokens(), cost, e.model())));
        String model = e.model() != null ? e.model() : task.model();
        for (var kind : Map.of("input", t.inputTokens(), "output", t.outputTokens(), "cache_read", t.cacheReadTokens(),
                "cache_creation", t.cacheCreationTokens()).entrySet()) {
            runMetrics.tokens(task.type(), model, kind.getKey(), kind.getValue());
        }
        runMetrics.cost(task.type(), model, cost);
        budgets.spent(task, e, t.inputTokens() + t.outputTokens(), cost);
        return written;
    }

    /** Claim-to-start latency, when the worker says when it claimed ({@link LifecycleEvent#claimedAt()}). */
    private void recordClaimToStart(LifecycleEvent e) {
        if (e.claimedAt() == null) {
            return;
        }
        Duration d = Duration.between(e.claimedAt(), e.at());
        if (!d.isNegative()) {
            Timer.builder("agentvine.claim.to.start").tag("type", e.taskType() == null ? "unknown" : e.taskType().name())
                    .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10))
                    .maximumExpectedValue(Duration.ofMinutes(10))
                    .register(meters).record(d);
        }
    }
}
