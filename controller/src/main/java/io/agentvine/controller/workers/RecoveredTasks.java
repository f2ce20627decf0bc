package io.agentvine.controller.workers;

import io.agentvine.logging.LogContext;
import io.agentvine.controller.domain.TaskEvent;
import io.agentvine.controller.domain.TaskStateMachine;
import io.agentvine.controller.history.EventLog;
import io.agentvine.controller.persistence.AttemptRepository;
import io.agentvine.controller.reports.RunRollups;
import io.agentvine.controller.persistence.TaskStore;
import io.agentvine.model.WorkOrderState;
import io.agentvine.queue.RecoveryReport;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the tasks of a queue recovery up to date: each recovered order's open attempt ends, its task
 * moves (requeued, dead-lettered or cancelled) through the state machine, with an event, a log line
 * and a metric.
 */
@Singleton
public class RecoveredTasks {
    private static final Logger log = LoggerFactory.getLogger(RecoveredTasks.class);

    private final TaskStore store;
    private final AttemptRepository attempts;
    private final EventLog events;
    private final MeterRegistry meters;
    private final Clock clock;
    private final RunRollups rollups;

    public RecoveredTasks(TaskStore store, AttemptRepository attempts, EventLog events, MeterRegistry meters, Clock clock,
                          RunRollups rollups) {
        this.rollups = rollups;
        this.store = store;
        this.attempts = attempts;
        this.events = events;
        this.meters = meters;
        this.clock = clock;
    }

    /**
     * @param why    what happened, for the log and the tasks' messages ({@code lease expired})
     * @param reason the metric's reason tag ({@code lease_expired}, {@code worker_stale})
     */
    public void record(RecoveryReport r, String why, String reason) {
        if (r.total() == 0) {
            return;
        }
        try (var e = LogContext.event("recovered", reason)) {
            log.warn("recovered work orders ({}): requeued {}, dead-lettered {}, cancelled {}", why, r.requeued(),
                    r.deadLettered(), r.cancelled());
        }
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
            // The run that vanished ends here; the next one gets its own row in the task's history. The task's runs
            // move in the reports' rollups once, around both changes.
            rollups.around(id, () -> {
                for (var run : attempts.findByTaskIdAndEndedAtIsNull(id)) {
                    attempts.update(run.ended("recovered", message, null, now));
                }
                store.transition(id, t -> t.after(event, state == WorkOrderState.QUEUED ? null : message, now))
                        .filter(t -> t.state() == state)
                        .ifPresent(t -> events.append(eventType, id, t.workerId(),
                                Map.of("task_id", id, "state", state.wireName(), "message", message)));
            });
        }
    }
}
