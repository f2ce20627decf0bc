package io.agentvine.controller.budgets;

import io.agentvine.controller.budgets.BudgetStore.ScopeKey;
import io.agentvine.controller.domain.TaskEvent;
import io.agentvine.controller.history.EventLog;
import io.agentvine.controller.persistence.TaskRow;
import io.agentvine.controller.persistence.TaskStore;
import io.agentvine.controller.tasks.SubmissionHold;
import io.agentvine.model.WorkBranches;
import io.agentvine.model.WorkOrderState;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Holds tasks of a repository or a chain whose cap is reached in {@code waiting}, outside the queue, with a row in
 * {@code budget_holds} (which {@code chains.ChainReleaser} leaves alone): a queued one the enforcer takes out of the
 * queue, and a new one before it is ever enqueued (from the last pass's verdict on this replica; the enforcer's next
 * pass catches what that missed).
 */
@Singleton
public class BudgetHolds implements SubmissionHold {
    private final BudgetStore store;
    private final TaskStore tasks;
    private final EventLog events;
    private final Clock clock;
    private volatile Set<ScopeKey> paused = Set.of();

    public BudgetHolds(BudgetStore store, TaskStore tasks, EventLog events, Clock clock) {
        this.store = store;
        this.tasks = tasks;
        this.events = events;
        this.clock = clock;
    }

    /** The scopes the enforcer's last pass found held. */
    void paused(Set<ScopeKey> scopes) {
        this.paused = Set.copyOf(scopes);
    }

    @Override
    public boolean held(TaskRow row, String chainId) {
        Set<ScopeKey> now = paused;
        ScopeKey repo = new ScopeKey(BudgetScope.REPO, WorkBranches.repositoryKey(row.repositoryUrl()));
        ScopeKey chain = chainId == null ? null : new ScopeKey(BudgetScope.CHAIN, chainId);
        ScopeKey by = now.contains(repo) ? repo : chain != null && now.contains(chain) ? chain : null;
        return by != null && hold(row.id(), by, t -> true);
    }

    /**
     * Moves queued task {@code id} to waiting, held by {@code by}, when {@code outOfQueue} (asked under the task's row
     * lock) says its order is not in the queue (any more); false when it was not queued or a worker has it.
     */
    boolean hold(String id, ScopeKey by, Predicate<TaskRow> outOfQueue) {
        Instant at = clock.instant();
        store.hold(id, by, at); // first: the chain releaser must never see the task waiting without its hold
        String reason = "budget: the " + by.scope().wireName() + " " + by.key() + " reached its cap";
        TaskRow row = tasks.transition(id, t -> t.state() == WorkOrderState.QUEUED && outOfQueue.test(t)
                ? t.after(TaskEvent.BUDGET_HELD, reason, at) : null).orElse(null);
        if (row == null || row.state() != WorkOrderState.WAITING) {
            store.unhold(id);
            return false;
        }
        events.append("task_waiting", id, null, Map.of("task_id", id, "budget", Map.of("scope", by.scope().wireName(),
                "key", by.key()), "reason", reason));
        return true;
    }
}
