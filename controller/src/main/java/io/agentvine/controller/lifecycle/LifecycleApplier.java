package io.agentvine.controller.lifecycle;

import io.agentvine.controller.clarifications.ClarificationService;
import io.agentvine.controller.domain.TaskEvent;
import io.agentvine.controller.domain.TaskStateMachine;
import io.agentvine.controller.history.EventLog;
import io.agentvine.controller.persistence.LifecycleEventRepository;
import io.agentvine.controller.persistence.LifecycleEventRow;
import io.agentvine.controller.persistence.TaskRepository;
import io.agentvine.controller.parking.ParkedRuns;
import io.agentvine.controller.persistence.TaskRow;
import io.agentvine.controller.persistence.TaskSteps;
import io.agentvine.controller.persistence.TaskStore;
import io.agentvine.controller.persistence.WorkerRepository;
import io.agentvine.model.Json;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.model.LifecycleEventType;
import io.agentvine.model.QueueOutcome;
import io.agentvine.model.WorkOrderState;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import io.agentvine.controller.reports.RunRollups;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one worker lifecycle event to the database, in one transaction, exactly once: the event id
 * is recorded first and a redelivered event is skipped. Events of an attempt older than the task's
 * current one never move the task's state (that attempt was fenced off by the queue).
 */
@Singleton
public class LifecycleApplier {
    private static final Logger log = LoggerFactory.getLogger(LifecycleApplier.class);

    private final LifecycleEventRepository applied;
    private final TaskRepository tasks;
    private final TaskStore store;
    private final AttemptAccounting accounting;
    private final WorkerRepository workers;
    private final ClarificationService clarifications;
    private final EventLog events;
    private final RunRollups rollups;
    private final ParkedRuns parking;

    public LifecycleApplier(LifecycleEventRepository applied, TaskRepository tasks, TaskStore store,
                            AttemptAccounting accounting, WorkerRepository workers, ClarificationService clarifications,
                            EventLog events, RunRollups rollups, ParkedRuns parking) {
        this.parking = parking;
        this.applied = applied;
        this.tasks = tasks;
        this.store = store;
        this.accounting = accounting;
        this.workers = workers;
        this.clarifications = clarifications;
        this.events = events;
        this.rollups = rollups;
    }

    /** @return false when the event had been applied before (a redelivery) */
    @Transactional
    public boolean apply(LifecycleEvent e) {
        if (applied.existsById(e.eventId())) {
            return false;
        }
        applied.save(new LifecycleEventRow(e.eventId(), e.type().wireName(), e.taskId(), e.workerId(), e.attempt(),
                e.at(), Json.write(e)));
        // Locked for the whole transaction: another replica's consumer may be applying the same task's
        // next event right now, and both rewrite the row.
        Optional<TaskRow> found = tasks.findByIdForUpdate(e.taskId());
        if (found.isEmpty()) {
            log.warn("lifecycle event {} for unknown task {} from worker {} recorded, not applied", e.eventId(),
                    e.taskId(), e.workerId());
            return true;
        }
        // The task's runs move in the reports' rollups once, around everything the event changes; an event that
        // changes no run is applied as it is (a change of the task's state moves them itself: TaskStore.update).
        return changesRuns(e.type()) ? rollups.around(e.taskId(), () -> applyTo(e, found.get())) : applyTo(e, found.get());
    }

    /**
     * Whether applying an event of this type can change the task's runs (task_attempts: a run begun, ended, its
     * usage) — what the reports' rollups are made of. A step, a progress note or a wait for approval changes none;
     * subtracting the task's runs from every rollup and adding them back around it (two statements per rollup and
     * level) was most of what such an event cost.
     */
    public static boolean changesRuns(LifecycleEventType type) {
        return switch (type) {
            case STARTED, TOKEN_USAGE, COMPLETED, FAILED, RELEASED, PARKED, CANCELLED -> true;
            case PROGRESS, STEP_CHANGED, AWAITING_APPROVAL -> false;
        };
    }

    private boolean applyTo(LifecycleEvent e, TaskRow found) {
        TaskRow task = found;
        boolean current = e.attempt() >= task.attempts();
        Map<String, Object> payload = new HashMap<>();
        payload.put("task_id", e.taskId());
        payload.put("worker_id", e.workerId());
        payload.put("attempt", e.attempt());
        if (e.message() != null) {
            payload.put("message", e.message());
        }
        if (e.type().endsAttempt() && e.type() != LifecycleEventType.PARKED) {
            clarifications.orphan(e.workOrderId(), e.workerId());
        }
        switch (e.type()) {
            case STARTED -> {
                if (current && !parking.beforeItsPark(task, e)) {
                    store.update(task, task.started(e.workerId(), e.attempt(), e.at()));
                }
                accounting.started(e);
                events.append("task_started", e.taskId(), e.workerId(), payload);
            }
            case PROGRESS -> events.append("task_progress", e.taskId(), e.workerId(), payload);
            case TOKEN_USAGE -> usage(task, e, payload);
            case COMPLETED -> {
                task = accounting.usage(task, e);
                if (current) {
                    store.update(task, task.completed(e.result().isEmpty() ? null : Json.write(e.result()), e.at()));
                }
                accounting.ended(e, "completed", null);
                workers.incrementCompleted(e.workerId());
                payload.put("result", e.result());
                events.append("task_completed", e.taskId(), e.workerId(), payload);
            }
            case FAILED -> {
                task = accounting.usage(task, e);
                TaskEvent event = switch (e.queueOutcome() == null ? QueueOutcome.FAILED : e.queueOutcome()) {
                    case RETRY_SCHEDULED -> TaskEvent.RETRY_SCHEDULED;
                    case DEAD -> TaskEvent.DEAD_LETTERED;
                    case CANCELLED -> TaskEvent.CANCELLED;
                    case LOST -> null; // the queue no longer held it: a recovery moves the task, not this event
                    case FAILED -> TaskEvent.FAILED;
                };
                String reason = e.outcome().wireName() + (e.message() == null ? "" : ": " + e.message());
                if (event != null && current) {
                    store.update(task, task.after(event, reason, e.at()));
                }
                accounting.ended(e, e.outcome().wireName(), e.message());
                workers.incrementFailed(e.workerId());
                WorkOrderState state = event == null ? task.state() : TaskStateMachine.target(event);
                payload.put("outcome", e.outcome().wireName());
                payload.put("state", state.wireName());
                events.append(event == TaskEvent.CANCELLED ? "task_cancelled" : "task_failed", e.taskId(), e.workerId(), payload);
            }
            case RELEASED -> {
                task = accounting.usage(task, e);
                if (current) {
                    store.update(task, task.after(TaskEvent.REQUEUED, null, e.at()));
                }
                accounting.ended(e, "released", e.message());
                payload.put("message", "released by its worker (shutdown); back at the head of its queue");
                events.append("task_progress", e.taskId(), e.workerId(), payload);
            }
            case AWAITING_APPROVAL -> {
                if (current && !parking.beforeItsPark(task, e)) {
                    store.update(task, task.after(TaskEvent.AWAITING_APPROVAL, null, e.at()));
                }
                events.append("task_progress", e.taskId(), e.workerId(), payload);
            }
            case STEP_CHANGED -> step(task, e, current, payload);
            case PARKED -> {
                task = accounting.usage(task, e);
                if (current) {
                    task = parking.parked(task, e);
                }
                accounting.ended(e, "parked", e.message());
                if (e.result().get("parked") instanceof Map<?, ?> parked) {
                    payload.put("parked", parked);
                }
                events.append("task_parked", e.taskId(), e.workerId(), payload);
            }
            case CANCELLED -> {
                task = accounting.usage(task, e);
                store.update(task, task.after(TaskEvent.CANCELLED, "cancelled by operator", e.at()));
                accounting.ended(e, "cancelled", e.message());
                events.append("task_cancelled", e.taskId(), e.workerId(), payload);
            }
        }
        return true;
    }

    /**
     * The running task entered the event's step: recorded, with a {@code task_step} event, unless the
     * task is not running this attempt on this worker any more, or a heartbeat already brought the same
     * or a later step (a step is announced once).
     */
    private void step(TaskRow task, LifecycleEvent e, boolean current, Map<String, Object> payload) {
        Instant since = TaskSteps.stored(e.at());
        if (!current || e.attempt() != task.attempts() || !e.workerId().equals(task.workerId())
                || !TaskRow.holdsStep(task.state()) || (task.stepSince() != null && !since.isAfter(task.stepSince()))) {
            return;
        }
        store.update(task, task.withStep(e.step().wireName(), since));
        events.append(TaskSteps.EVENT, e.taskId(), e.workerId(), TaskSteps.payload(e.taskId(), e.workerId(), e.attempt(),
                e.step().wireName(), since));
    }

    private void usage(TaskRow task, LifecycleEvent e, Map<String, Object> payload) {
        accounting.usage(task, e);
        payload.put("token_usage", e.tokenUsage());
        if (e.costUsd() != null) {
            payload.put("cost_usd", e.costUsd());
        }
        events.append("task_progress", e.taskId(), e.workerId(), payload);
    }
}
