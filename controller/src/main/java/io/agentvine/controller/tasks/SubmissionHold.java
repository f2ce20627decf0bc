package io.agentvine.controller.tasks;

import io.agentvine.controller.persistence.TaskRow;

/**
 * Asked for each new task between its commit and its enqueue: a task held here (moved to {@code waiting} by the
 * holder) is not enqueued. The budgets hold a new task whose repository or chain reached its cap
 * ({@code budgets.BudgetHolds}); they live outside this package, which must not depend on them.
 */
public interface SubmissionHold {
    /** Holds the stored, not yet enqueued, queued task {@code row} of chain {@code chainId} (or none); true when held. */
    boolean held(TaskRow row, String chainId);
}
