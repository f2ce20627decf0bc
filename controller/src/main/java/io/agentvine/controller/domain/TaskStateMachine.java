package io.agentvine.controller.domain;

import static io.agentvine.model.WorkOrderState.AWAITING_APPROVAL;
import static io.agentvine.model.WorkOrderState.CANCELLED;
import static io.agentvine.model.WorkOrderState.COMPLETED;
import static io.agentvine.model.WorkOrderState.DEAD;
import static io.agentvine.model.WorkOrderState.DELAYED;
import static io.agentvine.model.WorkOrderState.FAILED;
import static io.agentvine.model.WorkOrderState.PARKED;
import static io.agentvine.model.WorkOrderState.QUEUED;
import static io.agentvine.model.WorkOrderState.RUNNING;
import static io.agentvine.model.WorkOrderState.WAITING;

import io.agentvine.model.WorkOrderState;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's view of a task's life: which {@link TaskEvent} moves a task in which
 * {@link WorkOrderState} to which state. Every change of a task's state asks here (through
 * {@code TaskRow}); a move the table does not allow is refused and logged, and the row stays as it is.
 *
 * <p>The table is wider than the queue's ({@link WorkOrderState#canMoveTo}): the database follows the
 * queue a step behind. A delayed order becomes queued inside Redis unseen, so the next
 * {@code started} meets a task still shown delayed; a recovery may requeue a task whose worker then
 * reports on it. So every event but {@link TaskEvent#RETRIED} moves any task that has not ended, and
 * an ended task (completed, failed, dead, cancelled) moves only by an operator's retry — completed
 * never. A waiting task (its parents not all completed; never in the queue) moves only when it is
 * released into the queue or cancelled; a retried task whose parents have not all completed is held
 * waiting again; a queued task whose repository or chain reached its budget cap is taken out of the queue into
 * waiting ({@link TaskEvent#BUDGET_HELD}) and released like one. A parked task (its run waits for a human's decision, outside any worker) moves by the
 * decision ({@link TaskEvent#UNPARKED}) or any event that ends or recovers it.
 */
public final class TaskStateMachine {
    private static final Logger log = LoggerFactory.getLogger(TaskStateMachine.class);

    private static final Map<TaskEvent, WorkOrderState> TARGET = new EnumMap<>(Map.ofEntries(
            Map.entry(TaskEvent.STARTED, RUNNING),
            Map.entry(TaskEvent.AWAITING_APPROVAL, AWAITING_APPROVAL),
            Map.entry(TaskEvent.COMPLETED, COMPLETED),
            Map.entry(TaskEvent.RETRY_SCHEDULED, DELAYED),
            Map.entry(TaskEvent.FAILED, FAILED),
            Map.entry(TaskEvent.DEAD_LETTERED, DEAD),
            Map.entry(TaskEvent.CANCELLED, CANCELLED),
            Map.entry(TaskEvent.REQUEUED, QUEUED),
            Map.entry(TaskEvent.RETRIED, QUEUED),
            Map.entry(TaskEvent.RELEASED, QUEUED),
            Map.entry(TaskEvent.HELD, WAITING),
            Map.entry(TaskEvent.BUDGET_HELD, WAITING),
            Map.entry(TaskEvent.PARKED, PARKED),
            Map.entry(TaskEvent.UNPARKED, QUEUED)));

    private static final Set<WorkOrderState> NOT_ENDED = EnumSet.of(QUEUED, DELAYED, RUNNING, AWAITING_APPROVAL, PARKED);
    private static final Set<WorkOrderState> PARKS = EnumSet.of(PARKED);
    private static final Set<WorkOrderState> RETRYABLE = EnumSet.of(FAILED, DEAD, CANCELLED);
    private static final Set<WorkOrderState> WAITS = EnumSet.of(WAITING);
    private static final Set<WorkOrderState> IN_QUEUE = EnumSet.of(QUEUED);
    private static final Set<WorkOrderState> CANCELLABLE = EnumSet.of(QUEUED, DELAYED, RUNNING, AWAITING_APPROVAL, WAITING, PARKED);

    private TaskStateMachine() {
    }

    /** The state {@code event} moves a task in {@code from} to, or empty when the table does not allow it. */
    public static Optional<WorkOrderState> next(WorkOrderState from, TaskEvent event) {
        Set<WorkOrderState> sources = switch (event) {
            case RETRIED, HELD -> RETRYABLE;
            case RELEASED -> WAITS;
            case UNPARKED -> PARKS;
            case BUDGET_HELD -> IN_QUEUE;
            case CANCELLED -> CANCELLABLE;
            default -> NOT_ENDED;
        };
        return sources.contains(from) ? Optional.of(TARGET.get(event)) : Optional.empty();
    }

    /** The state {@code event} leads to, wherever it is allowed from. */
    public static WorkOrderState target(TaskEvent event) {
        return TARGET.get(event);
    }

    /** {@link #next}, logging a refused move of task {@code taskId}. */
    public static Optional<WorkOrderState> move(String taskId, WorkOrderState from, TaskEvent event) {
        Optional<WorkOrderState> to = next(from, event);
        if (to.isEmpty()) {
            log.info("task {} is {}: {} does not move it (refused; the row stays as it is)", taskId, from.wireName(),
                    event.name().toLowerCase(Locale.ROOT));
        }
        return to;
    }
}
