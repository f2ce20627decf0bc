package io.agentvine.controller.workers;

import io.agentvine.controller.clarifications.ClarificationService;
import io.agentvine.controller.config.ControllerSettings;
import io.agentvine.controller.domain.TaskEvent;
import io.agentvine.controller.domain.TaskStateMachine;
import io.agentvine.controller.history.EventLog;
import io.agentvine.controller.persistence.AttemptRepository;
import io.agentvine.controller.persistence.TaskRepository;
import io.agentvine.controller.persistence.TaskRow;
import io.agentvine.controller.persistence.TaskStore;
import io.agentvine.controller.persistence.WorkerRepository;
import io.agentvine.controller.persistence.WorkerRow;
import io.agentvine.loop.Backoff;
import io.agentvine.loop.Loop;
import io.agentvine.model.TaskType;
import io.agentvine.model.TaskTypes;
import io.agentvine.model.WorkOrderState;
import io.agentvine.queue.RecoveryReport;
import io.agentvine.queue.WorkQueue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the fleet honest: moves workers between health levels from their heartbeats, takes back the
 * orders of workers that went stale, and recovers expired leases. {@link #runOnce()} is one sweep;
 * the scheduler only repeats it. Replicas share a Redis lock, so one sweep runs at a time; the queue's
 * recoveries are atomic, so no order is recovered (or counted) twice either way.
 */
@Singleton
public class FleetSweeper {
    private static final Logger log = LoggerFactory.getLogger(FleetSweeper.class);

    /** What one sweep did; {@code ran} is false when another replica held the lock. */
    public record Sweep(boolean ran, List<String> healthChanges, RecoveryReport fromStaleWorkers, RecoveryReport fromExpiredLeases) {
    }

    private final WorkerRepository workers;
    private final TaskRepository tasks;
    private final WorkQueue queue;
    private final TaskTypes taskTypes;
    private final EventLog events;
    private final ControllerSettings settings;
    private final Clock clock;
    private final MeterRegistry meters;
    private final StatefulRedisConnection<String, String> lockConnection;
    private final SweepLock lock;
    private final TaskStore store;
    private final HeartbeatBuffer buffer;
    private final ClarificationService clarifications;
    private final AttemptRepository attempts;

    public FleetSweeper(WorkerRepository workers, TaskRepository tasks, WorkQueue queue, TaskTypes taskTypes,
                        EventLog events, ControllerSettings settings, Clock clock, MeterRegistry meters, RedisClient redis,
                        TaskStore store, HeartbeatBuffer buffer,
                        ClarificationService clarifications,
                        AttemptRepository attempts) {
        this.clarifications = clarifications;
        this.attempts = attempts;
        this.store = store;
        this.buffer = buffer;
        this.workers = workers;
        this.tasks = tasks;
        this.queue = queue;
        this.taskTypes = taskTypes;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
        this.meters = meters;
        this.lockConnection = redis.connect(StringCodec.UTF8);
        Duration ttl = settings.getHealthCheckInterval().multipliedBy(6).compareTo(Duration.ofSeconds(30)) > 0
                ? settings.getHealthCheckInterval().multipliedBy(6) : Duration.ofSeconds(30);
        this.lock = new SweepLock(lockConnection, settings.getQueueNamespace() + ":lock:sweep", ttl);
    }

    /**
     * Repeats the sweep every health-check interval in the {@link Loop} {@code fleet-sweeper}, started
     * with the application and stopped with it; a failed sweep is logged and retried after a backoff
     * no longer than the interval.
     */
    @Context
    @Requires(property = "agentvine.background.enabled", notEquals = "false")
    static class Schedule {
        private final Loop loop;

        Schedule(FleetSweeper sweeper, ControllerSettings settings) {
            Duration every = settings.getHealthCheckInterval();
            this.loop = new Loop("fleet-sweeper", new Backoff(every.dividedBy(4), every), () -> {
                sweeper.runOnce();
                return every;
            });
            loop.start(every);
        }

        @EventListener
        void onShutdown(ShutdownEvent event) {
            close();
        }

        @PreDestroy
        void close() {
            loop.close();
        }
    }

    public Sweep runOnce() {
        if (!lock.tryAcquire()) {
            return new Sweep(false, List.of(), RecoveryReport.EMPTY, RecoveryReport.EMPTY);
        }
        try {
            buffer.flush(); // health is judged on the latest beats this replica received
            List<String> changes = new ArrayList<>();
            RecoveryReport fromStale = RecoveryReport.EMPTY;
            Instant now = clock.instant();
            for (WorkerRow w : workers.findByDeregisteredAtIsNullOrderByRegisteredAt()) {
                Health health = Health.of(w.lastHeartbeatAt(), null, now, settings.getHeartbeatInterval(), settings.getStaleAfter());
                if (!health.wireName().equals(w.health())) {
                    workers.update(w.withHealth(health.wireName()));
                    changes.add(w.id() + ":" + w.health() + "->" + health.wireName());
                    events.append("worker_health_changed", null, w.id(), Map.of("worker_id", w.id(), "from", w.health(),
                            "to", health.wireName()));
                    meters.counter("agentvine.worker.health.changes", "to", health.wireName()).increment();
                    log.warn("worker {} ({}) is {} (last heartbeat {})", w.id(), w.name(), health.wireName(), w.lastHeartbeatAt());
                }
                if (health == Health.STALE) {
                    for (String type : w.workerTypes().split(",")) {
                        RecoveryReport r = queue.recoverWorker(TaskType.of(type), w.id());
                        record(r, "worker " + w.id() + " stale", "worker_stale");
                        fromStale = fromStale.plus(r);
                    }
                }
            }
            RecoveryReport fromLeases = RecoveryReport.EMPTY;
            for (TaskType type : taskTypes.allowed()) {
                RecoveryReport r = queue.recoverExpired(type);
                record(r, "lease expired", "lease_expired");
                fromLeases = fromLeases.plus(r);
            }
            clarifications.sweepOnce(); // after recoveries: questions of recovered orders are orphaned now
            return new Sweep(true, changes, fromStale, fromLeases);
        } finally {
            lock.release();
        }
    }

    /** Brings the tasks of a recovery up to date, with an event, a log line and a metric each. */
    private void record(RecoveryReport r, String why, String reason) {
        if (r.total() == 0) {
            return;
        }
        log.warn("recovered work orders ({}): requeued {}, dead-lettered {}, cancelled {}", why, r.requeued(),
                r.deadLettered(), r.cancelled());
        Instant now = clock.instant();
        apply(r.requeued(), TaskEvent.REQUEUED, why + "; back at the head of its queue", "task_progress", now);
        apply(r.deadLettered(), TaskEvent.DEAD_LETTERED, why + "; stalled too often, dead-lettered", "task_failed", now);
        apply(r.cancelled(), TaskEvent.CANCELLED, why + "; it had been cancelled", "task_cancelled", now);
        meters.counter("agentvine.recoveries", "reason", reason, "outcome", "requeued").increment(r.requeued().size());
        meters.counter("agentvine.recoveries", "reason", reason, "outcome", "dead").increment(r.deadLettered().size());
        meters.counter("agentvine.recoveries", "reason", reason, "outcome", "cancelled").increment(r.cancelled().size());
    }

    private void apply(List<String> ids, TaskEvent event, String message, String eventType, Instant now) {
        WorkOrderState state = TaskStateMachine.target(event);
        for (String id : ids) {
            // The run that vanished ends here; the next one gets its own row in the task's history.
            for (var run : attempts.findByTaskIdAndEndedAtIsNull(id)) {
                attempts.update(run.ended("recovered", message, null, now));
            }
            store.transition(id, t -> t.after(event, state == WorkOrderState.QUEUED ? null : message, now))
                    .filter(t -> t.state() == state)
                    .ifPresent(t -> events.append(eventType, id, t.workerId(),
                            Map.of("task_id", id, "state", state.wireName(), "message", message)));
        }
    }

    @PreDestroy
    void close() {
        lockConnection.close();
    }
}
