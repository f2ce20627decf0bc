package io.agentvine.controller.config;

import io.agentvine.controller.persistence.ClarificationRepository;
import io.agentvine.controller.persistence.TaskRepository;
import io.agentvine.controller.persistence.WorkerRepository;
import io.agentvine.model.QueueLevel;
import io.agentvine.model.TaskType;
import io.agentvine.model.TaskTypes;
import io.agentvine.model.WorkOrderState;
import io.agentvine.queue.QueueStats;
import io.agentvine.queue.WorkQueue;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gauges read at scrape time: queue depth per type and level (and in flight, delayed, dead), tasks by
 * state, registered workers by health, pending clarifications. Counters and timers (heartbeats,
 * recoveries, runs by outcome, queue wait, run, clone and agent time, tokens and cost by type and model,
 * claim-to-start latency, answer time: {@code metrics.RunMetrics}) are recorded where they happen. No
 * meter is tagged with a worker, task or order id.
 */
@Singleton
public class FleetMetrics implements MeterBinder {
    /** workers.Health's wire names (config may not depend on workers, which depends on config). */
    public static final List<String> HEALTH_LEVELS = List.of("healthy", "degraded", "stale", "offline");

    private final WorkQueue queue;
    private final TaskTypes types;
    private final TaskRepository tasks;
    private final WorkerRepository workers;
    private final ClarificationRepository clarifications;

    public FleetMetrics(WorkQueue queue, TaskTypes types, TaskRepository tasks, WorkerRepository workers,
                        ClarificationRepository clarifications) {
        this.queue = queue;
        this.types = types;
        this.tasks = tasks;
        this.workers = workers;
        this.clarifications = clarifications;
    }

    private record Snapshot(QueueStats stats, long takenAtNanos) {
    }

    private final Map<TaskType, Snapshot> snapshots = new ConcurrentHashMap<>();

    /** One stats script per type and scrape, not one per gauge: a snapshot is reused for a second. */
    private QueueStats stats(TaskType type) {
        long now = System.nanoTime();
        Snapshot s = snapshots.get(type);
        if (s == null || now - s.takenAtNanos() > 1_000_000_000L) {
            s = new Snapshot(queue.stats(type), now);
            snapshots.put(type, s);
        }
        return s.stats();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (TaskType type : types.allowed()) {
            for (QueueLevel level : QueueLevel.values()) {
                Gauge.builder("agentvine.queue.depth", () -> stats(type).depth(level))
                        .tag("type", type.name()).tag("level", level.wireName()).register(registry);
            }
            Gauge.builder("agentvine.queue.in_flight", () -> stats(type).inFlight()).tag("type", type.name()).register(registry);
            Gauge.builder("agentvine.queue.delayed", () -> stats(type).delayed()).tag("type", type.name()).register(registry);
            Gauge.builder("agentvine.queue.dead", () -> stats(type).dead()).tag("type", type.name()).register(registry);
        }
        for (WorkOrderState state : WorkOrderState.values()) {
            Gauge.builder("agentvine.tasks", () -> tasks.countByState(state)).tag("state", state.wireName()).register(registry);
        }
        for (String health : HEALTH_LEVELS) {
            Gauge.builder("agentvine.workers", () -> workers.countByHealthAndDeregisteredAtIsNull(health))
                    .description("registered workers by health").tag("health", health).register(registry);
        }
        // Counted where they happen (workers.RecoveredTasks, workers.HealthSweep); made here at zero, so that a
        // dashboard's rate() has a series before the first recovery or health change.
        for (String reason : List.of("lease_expired", "worker_stale")) {
            for (String outcome : List.of("requeued", "dead", "cancelled")) {
                registry.counter("agentvine.recoveries", "reason", reason, "outcome", outcome);
            }
        }
        for (String health : HEALTH_LEVELS) {
            registry.counter("agentvine.worker.health.changes", "to", health);
        }
        Gauge.builder("agentvine.clarifications.pending", () -> clarifications.countByStatus("pending"))
                .description("questions and approvals waiting for an operator").register(registry);
    }
}
