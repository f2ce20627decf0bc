package io.agentvine.controller.chains;

import io.agentvine.controller.config.ScheduledCheck;
import io.agentvine.controller.domain.TaskEnded;
import io.agentvine.controller.domain.TaskEvent;
import io.agentvine.controller.history.EventLog;
import io.agentvine.controller.persistence.TaskChainRepository;
import io.agentvine.controller.persistence.ParentState;
import io.agentvine.controller.persistence.TaskRow;
import io.agentvine.controller.persistence.TaskStore;
import io.agentvine.controller.tasks.Continuations;
import io.agentvine.loop.Wakeup;
import io.agentvine.model.Json;
import io.agentvine.model.WorkOrder;
import io.agentvine.model.WorkOrderState;
import io.agentvine.queue.WorkQueue;
import io.agentvine.queue.WorkQueueException;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.transaction.annotation.TransactionalEventListener;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves waiting tasks on (the controller's database is the source of truth): a task whose parents all
 * completed is released into the queue, with the continuation of the task whose branch it continues; a
 * task one of whose parents failed, was dead-lettered or cancelled (or is gone) is cancelled with the reason
 * "parent … failed", and its own dependents follow in the same {@link #runOnce()}. Each move happens under
 * the task's row lock, the order enqueued before the commit (a worker's start waits for the lock); an order
 * already in the queue (a release whose commit was lost) counts as released, so releasing is idempotent, on
 * any number of replicas, after any restart of the controller or of Redis.
 *
 * <p>The loop {@code chain-releaser} runs {@link #runOnce()} when a task ends on this replica (after its
 * commit) and every {@link ChainSettings#getReleaseCheck()} otherwise.
 */
@Singleton
public class ChainReleaser {
    private static final Logger log = LoggerFactory.getLogger(ChainReleaser.class);
    private static final int BATCH = 500;

    /** What one pass did. */
    public record Pass(List<String> released, List<String> cancelled) {
    }

    private final TaskChainRepository chains;
    private final TaskStore store;
    private final Continuations continuations;
    private final WorkQueue queue;
    private final EventLog events;
    private final Clock clock;
    private final Wakeup wakeup = new Wakeup();

    public ChainReleaser(TaskChainRepository chains, TaskStore store, Continuations continuations,
                         WorkQueue queue, EventLog events, Clock clock) {
        this.chains = chains;
        this.store = store;
        this.continuations = continuations;
        this.queue = queue;
        this.events = events;
        this.clock = clock;
    }

    /** A task ended here: its dependents are looked at now rather than at the next check. */
    @TransactionalEventListener(TransactionalEventListener.TransactionPhase.AFTER_COMMIT)
    void onEnded(TaskEnded ended) {
        wakeup.ring();
    }

    Wakeup wakeup() {
        return wakeup;
    }

    /** Releases or cancels every waiting task whose parents allow it; repeats while cancellations cascade. */
    public Pass runOnce() {
        List<String> released = new ArrayList<>();
        List<String> cancelled = new ArrayList<>();
        boolean moved = true;
        while (moved) {
            moved = false;
            for (Map.Entry<String, Verdict> e : verdicts().entrySet()) {
                String id = e.getKey();
                switch (e.getValue().decision()) {
                    case RELEASE -> {
                        if (release(id)) {
                            released.add(id);
                        }
                    }
                    case CANCEL -> {
                        if (cancel(id, e.getValue().reason())) {
                            cancelled.add(id);
                            moved = true;
                        }
                    }
                    case WAIT -> { }
                }
            }
        }
        return new Pass(released, cancelled);
    }

    /** In order of precedence: one failed parent cancels, one unfinished parent makes the task wait. */
    private enum Decision { RELEASE, WAIT, CANCEL }

    private record Verdict(Decision decision, String reason) {
        Verdict and(Verdict other) {
            return other.decision.compareTo(decision) > 0 ? other : this;
        }
    }

    /** Each waiting task's verdict (oldest first), from one read of their parents' states. */
    private Map<String, Verdict> verdicts() {
        Map<String, Verdict> verdicts = new LinkedHashMap<>();
        for (ParentState p : chains.waitingParents(BATCH)) {
            verdicts.merge(p.taskId(), verdict(p), Verdict::and);
        }
        return verdicts;
    }

    private static Verdict verdict(ParentState p) {
        if (p.parentId() == null) {
            return new Verdict(Decision.RELEASE, null);
        }
        if (p.parentState() == null) {
            return new Verdict(Decision.CANCEL, "parent " + p.parentId() + " is gone");
        }
        WorkOrderState state = WorkOrderState.fromWire(p.parentState());
        return switch (state) {
            case COMPLETED -> new Verdict(Decision.RELEASE, null);
            case DEAD -> new Verdict(Decision.CANCEL, "parent " + p.parentId() + " failed (dead-lettered)");
            case CANCELLED -> new Verdict(Decision.CANCEL, "parent " + p.parentId() + " was cancelled");
            case FAILED -> new Verdict(Decision.CANCEL, "parent " + p.parentId() + " failed");
            default -> new Verdict(Decision.WAIT, null);
        };
    }

    /** Parents only move on from completed by an operator's retry of a failed one, so the verdict read holds here. */
    private boolean release(String id) {
        Instant now = clock.instant();
        Optional<TaskRow> row = store.transition(id, t -> {
            if (t.state() != WorkOrderState.WAITING) {
                return null;
            }
            WorkOrder order = continuations.orderOf(t);
            enqueueOnce(order);
            return t.after(TaskEvent.RELEASED, null, now).withWorkOrder(Json.write(order), now);
        });
        if (row.isEmpty() || row.get().state() != WorkOrderState.QUEUED || !row.get().updatedAt().equals(now)) {
            return false;
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("task_id", id);
        payload.put("queue", row.get().queueLevel());
        payload.put("depends_on", chains.parentsOf(id));
        events.append("task_released", id, null, payload);
        log.info("task {} released into the {} queue: its parents completed", id, row.get().queueLevel());
        return true;
    }

    private void enqueueOnce(WorkOrder order) {
        try {
            queue.enqueue(order);
        } catch (WorkQueueException e) {
            if (queue.get(order.type(), order.id()).isEmpty()) {
                throw e;
            }
            log.info("task {} was in the queue already (an earlier release's commit was lost)", order.taskId());
        }
    }

    private boolean cancel(String id, String reason) {
        Instant now = clock.instant();
        Optional<TaskRow> row = store.transition(id, t -> t.state() != WorkOrderState.WAITING ? null
                : t.after(TaskEvent.CANCELLED, reason, now));
        if (row.isEmpty() || row.get().state() != WorkOrderState.CANCELLED || !now.equals(row.get().finishedAt())) {
            return false;
        }
        events.append("task_cancelled", id, null, Map.of("task_id", id, "while", "waiting", "reason", reason));
        return true;
    }

    /** Runs {@link #runOnce()} in the loop {@code chain-releaser}, started with the application and stopped with it. */
    @Context
    @Requires(property = "agentvine.background.enabled", notEquals = "false")
    static class Schedule extends ScheduledCheck {
        Schedule(ChainReleaser releaser, ChainSettings settings) {
            super("chain-releaser", settings.getReleaseCheck(), releaser.wakeup(), releaser::runOnce);
        }
    }
}
