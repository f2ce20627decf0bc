package io.agentvine.controller.parking;

import io.agentvine.controller.config.ScheduledCheck;
import io.agentvine.controller.domain.ClarificationDecided;
import io.agentvine.controller.domain.Disagreements;
import io.agentvine.controller.domain.TaskEvent;
import io.agentvine.controller.domain.WorkerReports;
import io.agentvine.controller.history.EventLog;
import io.agentvine.controller.persistence.ClarificationRepository;
import io.agentvine.controller.persistence.ClarificationRow;
import io.agentvine.controller.persistence.ParkedRunRepository;
import io.agentvine.controller.persistence.ParkedRunRow;
import io.agentvine.controller.persistence.TaskRow;
import io.agentvine.controller.persistence.TaskStore;
import io.agentvine.loop.Wakeup;
import io.agentvine.model.ClarificationStatus;
import io.agentvine.model.Json;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.model.ParkedRun;
import io.agentvine.model.WorkOrder;
import io.agentvine.model.WorkOrderState;
import io.agentvine.queue.WorkQueue;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.transaction.annotation.TransactionalEventListener;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs parked while a human decides, on the controller's side. A worker's {@code parked} event moves the task to
 * {@code parked} and records where its work was saved ({@link #parked}); once the request it parked on is decided —
 * answered, approved, rejected, or expired by the clarification policy — {@link #runOnce()} sends the order back to
 * the head of its queue carrying the decision ({@link WorkOrder#parked()}), under the task's row lock, before the
 * commit; an order Redis lost meanwhile is enqueued again. The database is the source of truth: the loop
 * {@code parked-runs} runs after every decision or park on this replica (after its commit) and every
 * {@link ParkingSettings#getCheck()}, so a decision on another replica or before a restart is not lost.
 */
@Singleton
public class ParkedRuns {
    private static final Logger log = LoggerFactory.getLogger(ParkedRuns.class);
    private static final int BATCH = 200;

    private final ParkedRunRepository parkedRuns;
    private final ClarificationRepository clarifications;
    private final TaskStore store;
    private final WorkQueue queue;
    private final EventLog events;
    private final ApplicationEventPublisher<ClarificationDecided> decided;
    private final Clock clock;
    /** Decided tasks whose parked order was not in Redis when they were to go back. */
    private final Disagreements missing;
    private final Wakeup wakeup = new Wakeup();

    public ParkedRuns(ParkedRunRepository parkedRuns, ClarificationRepository clarifications, TaskStore store, WorkQueue queue,
                      EventLog events, ApplicationEventPublisher<ClarificationDecided> decided, Clock clock,
                      Provider<WorkerReports> reports) {
        this.parkedRuns = parkedRuns;
        this.clarifications = clarifications;
        this.store = store;
        this.queue = queue;
        this.events = events;
        this.decided = decided;
        this.clock = clock;
        this.missing = new Disagreements(reports::get); // the reports' consumer applies parks through this class
    }

    /**
     * A worker parked the task's run ({@code task} is locked by the caller's transaction): the task is parked and
     * the saved work recorded. A decision that came first sends it back right after the commit.
     *
     * @return the task as written
     */
    public TaskRow parked(TaskRow task, LifecycleEvent e) {
        ParkedRun p;
        try {
            p = Json.mapper().convertValue(e.result().get("parked"), ParkedRun.class);
        } catch (IllegalArgumentException bad) { // InvalidMessageException included
            p = null;
        }
        if (p == null) {
            log.warn("parked event {} of task {} says nothing of its saved work; the task stays {}", e.eventId(), e.taskId(),
                    task.state().wireName());
            return task;
        }
        ParkedRunRow row = new ParkedRunRow(task.id(), p.requestId(), p.kind().wireName(), Json.write(p), e.workerId(), p.parkedAt());
        if (parkedRuns.existsById(task.id())) {
            parkedRuns.update(row);
        } else {
            parkedRuns.save(row);
        }
        TaskRow written = store.update(task, task.after(TaskEvent.PARKED, null, e.at()));
        decided.publishEvent(new ClarificationDecided(task.id(), p.requestId()));
        return written;
    }

    /**
     * Was {@code e} written before the run of parked {@code task} parked? Such a report arrives late (a replica died
     * before acknowledging it and another applies it again after the park): it must not move the task out of
     * {@code parked}, where only the decision brings it back. A resumed run's reports come after its unpark has made
     * the task queued.
     */
    public boolean beforeItsPark(TaskRow task, LifecycleEvent e) {
        return task.state() == WorkOrderState.PARKED
                && parkedRuns.findById(task.id()).map(r -> e.at().isBefore(r.parkedAt())).orElse(false);
    }

    /** A decision (or a park) committed here: parked runs are looked at now rather than at the next check. */
    @TransactionalEventListener(TransactionalEventListener.TransactionPhase.AFTER_COMMIT)
    void onDecided(ClarificationDecided event) {
        wakeup.ring();
    }

    Wakeup wakeup() {
        return wakeup;
    }

    /** Sends every parked run whose request is decided back to the queue; returns the tasks sent back. */
    public List<String> runOnce() {
        List<String> sent = new ArrayList<>();
        List<String> decidedIds = parkedRuns.decidedTaskIds(BATCH);
        missing.keepOnly(decidedIds);
        for (String taskId : decidedIds) {
            try {
                if (unpark(taskId)) {
                    sent.add(taskId);
                }
            } catch (RuntimeException e) {
                log.warn("parked task {} not sent back yet: {}", taskId, e.toString());
            }
        }
        return sent;
    }

    private boolean unpark(String taskId) {
        Instant now = clock.instant();
        ParkedRun[] back = new ParkedRun[1];
        Optional<TaskRow> row = store.transition(taskId, t -> {
            if (t.state() != WorkOrderState.PARKED) {
                return null;
            }
            Optional<ParkedRunRow> pr = parkedRuns.findById(taskId);
            Optional<ClarificationRow> c = pr.flatMap(p -> clarifications.findById(p.requestId()));
            if (c.isEmpty() || c.get().pending()) {
                return null;
            }
            ParkedRun decided = withDecision(Json.read(pr.get().parked(), ParkedRun.class), c.get());
            WorkOrder order = Json.read(t.workOrder(), WorkOrder.class).withParked(decided);
            if (queue.unpark(order).isPresent()) {
                missing.agreed(taskId);
            } else if (missing.settled(taskId)) {
                queue.enqueue(order); // Redis lost the parked order: it goes in again, with the decision
            } else {
                return null; // missing, and the workers' reports are behind (a worker may have run it): a later pass decides
            }
            back[0] = decided;
            // the row keeps the order as it went back, decision and saved work included: an order rebuilt from it (a
            // budget hold's release, say) resumes the run instead of starting it again
            return t.after(TaskEvent.UNPARKED, null, now).withWorkOrder(Json.write(order), now);
        });
        if (back[0] == null || row.isEmpty() || row.get().state() != WorkOrderState.QUEUED) {
            return false;
        }
        events.append("task_unparked", taskId, null, Map.of("task_id", taskId, "clarification_id", back[0].requestId(),
                "decision", back[0].decision().wireName(), "queue", row.get().queueLevel()));
        log.info("task {} back at the head of its {} queue: {} {} is {}", taskId, row.get().queueLevel(), back[0].kind().wireName(),
                back[0].requestId(), back[0].decision().wireName());
        return true;
    }

    private static ParkedRun withDecision(ParkedRun p, ClarificationRow c) {
        ClarificationStatus status = ClarificationStatus.fromWire(c.status());
        return switch (status) {
            case ANSWERED, APPROVED, REJECTED -> p.decided(status, c.answer(), c.answeredBy());
            default -> p.decided(ClarificationStatus.EXPIRED, "nobody decided before " + c.expiresAt()
                    + (status == ClarificationStatus.EXPIRED ? "" : " (" + status.wireName() + ")"), null);
        };
    }

    /** Runs {@link #runOnce()} in the loop {@code parked-runs}, started with the application and stopped with it. */
    @Context
    @Requires(property = "agentvine.background.enabled", notEquals = "false")
    static class Schedule extends ScheduledCheck {
        Schedule(ParkedRuns parked, ParkingSettings settings) {
            super("parked-runs", settings.getCheck(), parked.wakeup(), parked::runOnce);
        }
    }
}
