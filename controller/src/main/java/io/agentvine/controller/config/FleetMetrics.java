package io.agentvine.controller.config;

import io.agentvine.controller.persistence.TaskRepository;
import io.agentvine.model.QueueLevel;
import io.agentvine.model.TaskType;
import io.agentvine.model.TaskTypes;
import io.agentvine.queue.WorkQueue;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Gauges read at scrape time: queue depth per type and level (and in flight, delayed, dead), tasks by
 * state. Counters and timers (heartbeats, recoveries, tokens and cost by model and worker,
 * claim-to-start latency) are recorded where they happen.
 */
@Singleton
public class FleetMetrics implements MeterBinder {
    private static final List<String> STATES =
            List.of("queued", "delayed", "running", "awaiting_approval", "completed", "failed", "dead", "cancelled");

    private final WorkQueue queue;
    private final TaskTypes types;
    private final TaskRepository tasks;

    public FleetMetrics(WorkQueue queue, TaskTypes types, TaskRepository tasks) {
        this.queue = queue;
        this.types = types;
        this.tasks = tasks;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (TaskType type : types.allowed()) {
            for (QueueLevel level : QueueLevel.values()) {
                Gauge.builder("agentvine.queue.depth", () -> queue.stats(type).depth(level))
                        .tag("type", type.name()).tag("level", level.wireName()).register(registry);
            }
            Gauge.builder("agentvine.queue.in_flight", () -> queue.stats(type).inFlight()).tag("type", type.name()).register(registry);
            Gauge.builder("agentvine.queue.delayed", () -> queue.stats(type).delayed()).tag("type", type.name()).register(registry);
            Gauge.builder("agentvine.queue.dead", () -> queue.stats(type).dead()).tag("type", type.name()).register(registry);
        }
        for (String state : STATES) {
            Gauge.builder("agentvine.tasks", () -> tasks.countByState(state)).tag("state", state).register(registry);
        }
    }
}
