package io.agentvine.controller.lifecycle;

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
import java.util.Map;

/**
 * What a lifecycle event adds to the record of an attempt: its row when it starts (and the
 * claim-to-start latency), its end and outcome, and the tokens and cost it used, summed on the task
 * and the attempt and counted by model and worker. Runs inside {@link LifecycleApplier}'s transaction.
 */
@Singleton
public class AttemptAccounting {
    private final TaskRepository tasks;
    private final AttemptRepository attempts;
    private final MeterRegistry meters;

    public AttemptAccounting(TaskRepository tasks, AttemptRepository attempts, MeterRegistry meters) {
        this.tasks = tasks;
        this.attempts = attempts;
        this.meters = meters;
    }

    /** The attempt's row, once, and the claim-to-start latency. */
    public void started(LifecycleEvent e) {
        if (attempts.findByTaskIdAndAttemptAndWorkerId(e.taskId(), e.attempt(), e.workerId()).isEmpty()) {
            attempts.save(AttemptRow.start(e.taskId(), e.attempt(), e.workerId(), e.model(), e.at()));
        }
        recordClaimToStart(e);
    }

    /** The attempt ended with {@code outcome} (its row is made if its start was never seen). */
    public void ended(LifecycleEvent e, String outcome, String reason) {
        AttemptRow a = attempts.findByTaskIdAndAttemptAndWorkerId(e.taskId(), e.attempt(), e.workerId())
                .orElseGet(() -> attempts.save(AttemptRow.start(e.taskId(), e.attempt(), e.workerId(), e.model(), null)));
        attempts.update(a.ended(outcome, reason, e.result().isEmpty() ? null : Json.write(e.result()), e.at()));
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
            if (kind.getValue() > 0) {
                meters.counter("agentvine.tokens", "model", model, "worker", e.workerId(), "kind", kind.getKey())
                        .increment(kind.getValue());
            }
        }
        if (cost > 0) {
            meters.counter("agentvine.cost.usd", "model", model, "worker", e.workerId()).increment(cost);
        }
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
                    .register(meters).record(d);
        }
    }
}
