package io.agentvine.controller.workers;

import io.agentvine.controller.clarifications.ClarificationService;
import io.agentvine.controller.config.ControllerSettings;
import io.agentvine.controller.persistence.WorkerRow;
import io.agentvine.loop.Backoff;
import io.agentvine.loop.Loop;
import io.agentvine.model.TaskType;
import io.agentvine.model.TaskTypes;
import io.agentvine.queue.RecoveryReport;
import io.agentvine.queue.WorkQueue;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;

/**
 * Keeps the fleet honest: moves workers between health levels from their heartbeats
 * ({@link HealthSweep}), takes back the orders of workers that went stale, and recovers expired
 * leases ({@link RecoveredTasks} brings their tasks up to date). {@link #runOnce()} is one sweep;
 * the scheduler only repeats it. Replicas share a Redis lock, so one sweep runs at a time; the queue's
 * recoveries are atomic, so no order is recovered (or counted) twice either way.
 */
@Singleton
public class FleetSweeper {

    /** What one sweep did; {@code ran} is false when another replica held the lock. */
    public record Sweep(boolean ran, List<String> healthChanges, RecoveryReport fromStaleWorkers, RecoveryReport fromExpiredLeases) {
    }

    private final SweepLock lock;
    private final HeartbeatBuffer buffer;
    private final HealthSweep health;
    private final WorkQueue queue;
    private final TaskTypes taskTypes;
    private final RecoveredTasks recovered;
    private final ClarificationService clarifications;

    public FleetSweeper(SweepLock lock, HeartbeatBuffer buffer, HealthSweep health, WorkQueue queue, TaskTypes taskTypes,
                        RecoveredTasks recovered, ClarificationService clarifications) {
        this.lock = lock;
        this.buffer = buffer;
        this.health = health;
        this.queue = queue;
        this.taskTypes = taskTypes;
        this.recovered = recovered;
        this.clarifications = clarifications;
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
            HealthSweep.Result workers = health.runOnce();
            RecoveryReport fromStale = RecoveryReport.EMPTY;
            for (WorkerRow w : workers.stale()) {
                for (String type : w.workerTypes().split(",")) {
                    RecoveryReport r = queue.recoverWorker(TaskType.of(type), w.id());
                    recovered.record(r, "worker " + w.id() + " stale", "worker_stale");
                    fromStale = fromStale.plus(r);
                }
            }
            RecoveryReport fromLeases = RecoveryReport.EMPTY;
            for (TaskType type : taskTypes.allowed()) {
                RecoveryReport r = queue.recoverExpired(type);
                recovered.record(r, "lease expired", "lease_expired");
                fromLeases = fromLeases.plus(r);
            }
            clarifications.sweepOnce(); // after recoveries: questions of recovered orders are orphaned now
            return new Sweep(true, workers.changes(), fromStale, fromLeases);
        } finally {
            lock.release();
        }
    }
}
