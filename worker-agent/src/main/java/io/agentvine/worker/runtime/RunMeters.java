package io.agentvine.worker.runtime;

import io.agentvine.worker.agent.output.AgentUsage;
import io.agentvine.worker.metrics.WorkerMeters;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Reads an ended run's figures — its outcome and time, the clone, the agent, the tests, the usage —
 * into this worker's {@link WorkerMeters}. The outcome is {@code completed}, {@code released}, or the
 * failure's reason class ({@code tests_failed}, {@code lost_lease}, …): bounded, like every tag.
 */
final class RunMeters {
    private final WorkerMeters meters;
    private final Clock clock;

    RunMeters(WorkerMeters meters, Clock clock) {
        this.meters = meters;
        this.clock = clock;
    }

    /** The run ended as {@code outcome} with {@code result} (null when none came out of it). */
    void ended(ActiveRun run, String outcome, RunResult result) {
        String type = run.claim.type().name();
        meters.runEnded(type, outcome, Duration.between(run.startedAt, clock.instant()));
        if (run.cloneNanos > 0) {
            meters.cloned(type, Duration.ofNanos(run.cloneNanos));
        }
        Map<String, Object> details = result == null ? Map.of() : result.result();
        if (details.get("timings") instanceof Map<?, ?> timings && timings.get("agent_ms") instanceof Number ms) {
            meters.agentRan(type, run.claim.order().modelTier().wireName(), Duration.ofMillis(ms.longValue()));
        }
        if (details.get("tests") instanceof Map<?, ?> tests && Boolean.TRUE.equals(tests.get("ran"))
                && tests.get("duration_ms") instanceof Number ms) {
            meters.tested(type, Boolean.TRUE.equals(tests.get("passed")), Duration.ofMillis(ms.longValue()));
        }
        RunWatch watch = run.watch;
        AgentUsage usage = watch == null ? AgentUsage.NONE : watch.usage();
        Object model = details.get("model") != null ? details.get("model") : run.claim.order().model();
        meters.usage(type, model == null ? "unknown" : model.toString(), usage.tokens(), usage.costUsd());
    }
}
