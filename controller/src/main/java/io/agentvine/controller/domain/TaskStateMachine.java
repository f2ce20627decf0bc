package io.agentvine.controller.domain;

import static io.agentvine.model.WorkOrderState.AWAITING_APPROVAL;
import static io.agentvine.model.WorkOrderState.CANCELLED;
import static io.agentvine.model.WorkOrderState.COMPLETED;
import static io.agentvine.model.WorkOrderState.DEAD;
import static io.agentvine.model.WorkOrderState.DELAYED;
import static io.agentvine.model.WorkOrderState.FAILED;
import static io.agentvine.model.WorkOrderState.QUEUED;
import static io.agentvine.model.WorkOrderState.RUNNING;

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
 * never.
 */
public final class TaskStateMachine {
    private static final Logger log = LoggerFactory.getLogger(TaskStateMachine.class);

    private static final Map<TaskEvent, WorkOrderState> TARGET = new EnumMap<>(Map.of(
            TaskEvent.STARTED, RUNNING,
            TaskEvent.AWAITING_APPROVAL, AWAITING_APPROVAL,
            TaskEvent.COMPLETED, COMPLETED,
            TaskEvent.RETRY_SCHEDULED, DELAYED,
            TaskEvent.FAILED, FAILED,
            TaskEvent.DEAD_LETTERED, DEAD,
            TaskEvent.CANCELLED, CANCELLED,
            TaskEvent.REQUEUED, QUEUED,
            TaskEvent.RETRIED, QUEUED));

    private static final Set<WorkOrderState> NOT_ENDED = EnumSet.of(QUEUED, DELAYED, RUNNING, AWAITING_APPROVAL);
    private static final Set<WorkOrderState> RETRYABLE = EnumSet.of(FAILED, DEAD, CANCELLED);

    private TaskStateMachine() {
    }

    /** The state {@code event} moves a task in {@code from} to, or empty when the table does not allow it. */
    public static Optional<WorkOrderState> next(WorkOrderState from, TaskEvent event) {
        Set<WorkOrderState> sources = event == TaskEvent.RETRIED ? RETRYABLE : NOT_ENDED;
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
