package io.agentvine.controller.domain;

/**
 * What happens to a task, as the controller learns it: from a worker's lifecycle event, from the
 * queue's recovery of a lost order, or from an operator. {@link TaskStateMachine} says which state
 * each one leads to.
 */
public enum TaskEvent {
    /** An attempt started on a worker (lifecycle {@code started}). */
    STARTED,
    /** The agent waits for an operator's approval (lifecycle {@code awaiting_approval}). */
    AWAITING_APPROVAL,
    /** The attempt succeeded (lifecycle {@code completed}). */
    COMPLETED,
    /** The attempt failed and the queue scheduled a retry (lifecycle {@code failed}, queue outcome retry_scheduled). */
    RETRY_SCHEDULED,
    /** The attempt failed for good (lifecycle {@code failed}, queue outcome failed). */
    FAILED,
    /** The queue dead-lettered the order: a final failure, or stalled too often (lifecycle or recovery). */
    DEAD_LETTERED,
    /** The order was cancelled: by an operator while queued, by its worker, or found cancelled by a recovery. */
    CANCELLED,
    /** Back at the head of its queue: released by its worker, or recovered from a lost lease or worker. */
    REQUEUED,
    /** An operator retries a failed, dead or cancelled task. */
    RETRIED,
    /** Every parent of a waiting task completed: its order goes into the queue. */
    RELEASED,
    /** A task goes back to waiting for its parents (a retry of a task whose parents have not all completed). */
    HELD,
    /** A queued task's repository or chain reached its budget cap: out of the queue, waiting until the cap lets it go. */
    BUDGET_HELD,
    /** The run saved its work and left its worker until a human decides (lifecycle {@code parked}). */
    PARKED,
    /** The human decided: the parked order goes back to the head of its queue, carrying the decision. */
    UNPARKED
}
