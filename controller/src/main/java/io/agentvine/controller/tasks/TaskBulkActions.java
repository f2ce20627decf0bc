package io.agentvine.controller.tasks;

import io.agentvine.controller.domain.ConflictException;
import io.agentvine.controller.domain.NotFoundException;
import io.agentvine.controller.domain.TaskEvent;
import io.agentvine.controller.domain.TaskStateMachine;
import io.agentvine.controller.persistence.TaskSearch;
import io.agentvine.model.Check;
import io.agentvine.model.InvalidMessageException;
import io.agentvine.model.WorkOrderState;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cancel or retry many tasks at once: a selection of ids or everything a filter matches. Each task goes
 * through {@link TaskService#cancel} or {@link TaskService#retry} (queue, state machine, event), one at a
 * time; a task whose state does not allow the action is skipped with the reason. A dry run only counts.
 */
@Singleton
public class TaskBulkActions {
    private static final Logger log = LoggerFactory.getLogger(TaskBulkActions.class);
    /** The most ids a selection may hold. */
    public static final int MAX_IDS = 1000;
    /** The most tasks a filter may match for a bulk action. */
    public static final int MAX_FILTERED = 10_000;

    private enum Action {
        CANCEL("cancel"), RETRY("retry");

        final String wire;

        Action(String wire) {
            this.wire = wire;
        }
    }

    private final TaskService tasks;
    private final TaskSearch search;

    public TaskBulkActions(TaskService tasks, TaskSearch search) {
        this.tasks = tasks;
        this.search = search;
    }

    public BulkResult cancel(BulkRequest request) {
        return run(Action.CANCEL, request);
    }

    public BulkResult retry(BulkRequest request) {
        return run(Action.RETRY, request);
    }

    private BulkResult run(Action action, BulkRequest r) {
        if (r == null) {
            throw new InvalidMessageException("body", "is empty; send ids (a selection) or filter");
        }
        if ((r.ids() == null) == (r.filter() == null)) {
            throw new InvalidMessageException(r.ids() == null ? "ids" : "filter",
                    "send either ids (a selection of task ids) or filter (state, type, repository, q), not both");
        }
        boolean dryRun = Boolean.TRUE.equals(r.dryRun());
        Map<String, String> targets = r.ids() != null ? selection(r.ids()) : filtered(r.filter());
        List<BulkResult.Skipped> skipped = new ArrayList<>();
        int eligible = 0;
        for (Map.Entry<String, String> t : targets.entrySet()) {
            String why = refusal(action, t.getKey(), t.getValue());
            if (why == null) {
                eligible++;
            } else if (!dryRun) {
                skipped.add(new BulkResult.Skipped(t.getKey(), t.getValue(), why));
            }
        }
        if (dryRun) {
            return new BulkResult(action.wire, true, targets.size(), eligible, 0, 0, List.of());
        }
        int changed = 0;
        int requested = 0;
        for (Map.Entry<String, String> t : targets.entrySet()) {
            if (refusal(action, t.getKey(), t.getValue()) != null) {
                continue;
            }
            try {
                TaskView after = action == Action.CANCEL ? tasks.cancel(t.getKey()) : tasks.retry(t.getKey());
                changed++;
                if (action == Action.CANCEL && !WorkOrderState.CANCELLED.wireName().equals(after.state())) {
                    requested++;
                }
            } catch (ConflictException | NotFoundException e) {
                // The task changed since it was read (claimed, finished, retried by someone else).
                skipped.add(new BulkResult.Skipped(t.getKey(), null, e.getMessage()));
            }
        }
        log.info("bulk {} ({}): {} matched, {} changed ({} cancel requests to workers), {} skipped", action.wire,
                r.ids() != null ? "selection" : "filter", targets.size(), changed, requested, skipped.size());
        return new BulkResult(action.wire, false, targets.size(), eligible, changed, requested, skipped);
    }

    /** Why {@code action} does not apply to a task in {@code state} (null: it does). */
    private static String refusal(Action action, String id, String state) {
        if (state == null) {
            return "no task with id " + id;
        }
        WorkOrderState s = WorkOrderState.fromWire(state);
        if (action == Action.CANCEL) {
            return s.isFinal() ? "already " + state + "; there is nothing to cancel" : null;
        }
        return TaskStateMachine.next(s, TaskEvent.RETRIED).isPresent() ? null
                : "is " + state + "; only failed, dead or cancelled tasks are retried";
    }

    /** The selected ids (in order, once each) with their stored state, null for an unknown id. */
    private Map<String, String> selection(List<String> ids) {
        if (ids.isEmpty() || ids.size() > MAX_IDS) {
            throw new InvalidMessageException("ids", "must hold 1 to " + MAX_IDS + " task ids, held " + ids.size());
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            distinct.add(Check.id(ids.get(i), "ids[" + i + "]"));
        }
        Map<String, String> states = new LinkedHashMap<>();
        distinct.forEach(id -> states.put(id, null));
        search.states(new ArrayList<>(distinct)).forEach(m -> states.put(m.id(), m.state()));
        return states;
    }

    private Map<String, String> filtered(BulkRequest.Filter f) {
        TaskSearch.Filter filter = tasks.filter(f.state(), f.type(), f.repository(), f.q(), "filter.");
        List<TaskSearch.Match> matches = search.matches(filter, MAX_FILTERED + 1);
        if (matches.size() > MAX_FILTERED) {
            throw new InvalidMessageException("filter", "matches more than " + MAX_FILTERED
                    + " tasks; a bulk action takes at most " + MAX_FILTERED + ": narrow the filter");
        }
        Map<String, String> states = new LinkedHashMap<>();
        matches.forEach(m -> states.put(m.id(), m.state()));
        return states;
    }
}
