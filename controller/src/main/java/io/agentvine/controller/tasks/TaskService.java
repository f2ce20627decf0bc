package io.agentvine.controller.tasks;

import io.agentvine.controller.domain.TaskEvent;
import io.agentvine.controller.domain.TaskStateMachine;
import io.agentvine.controller.domain.NotFoundException;
import io.agentvine.controller.domain.ConflictException;
import io.agentvine.controller.domain.InvalidInputException;
import io.agentvine.controller.history.EventLog;
import io.agentvine.controller.persistence.TaskChainRepository;
import io.agentvine.controller.persistence.TaskRepository;
import io.agentvine.controller.persistence.TaskRow;
import io.agentvine.controller.persistence.TaskSearch;
import io.agentvine.controller.persistence.TaskStore;
import io.agentvine.controller.input.Texts;
import io.agentvine.model.Check;
import io.agentvine.model.InvalidMessageException;
import io.agentvine.model.Json;
import io.agentvine.model.Priority;
import io.agentvine.model.TaskType;
import io.agentvine.model.TaskTypes;
import io.agentvine.model.WorkOrder;
import io.agentvine.model.WorkOrderState;
import io.agentvine.queue.CancelResult;
import io.agentvine.queue.WorkQueue;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What operators do with existing tasks: read, list, cancel, reprioritize, retry (new ones: {@link TaskSubmission}). */
@Singleton
public class TaskService {
    private static final int MAX_PAGE = 1_000_000;
    private static final int MAX_SIZE = 200;
    private static final int MAX_QUERY = 200;
    /** The list counts its matches up to this many ("1000+" beyond). */
    public static final int COUNT_CAP = 1000;

    private final TaskStore store;
    private final TaskRepository tasks;
    private final TaskSearch search;
    private final WorkQueue queue;
    private final TaskTypes taskTypes;
    private final EventLog events;
    private final TaskViews views;
    private final Clock clock;

    private final TaskChainRepository chains;
    private final Continuations continuations;

    public TaskService(TaskStore store, TaskRepository tasks, TaskSearch search, WorkQueue queue, TaskTypes taskTypes,
                       EventLog events, TaskViews views, TaskChainRepository chains, Continuations continuations, Clock clock) {
        this.chains = chains;
        this.continuations = continuations;
        this.store = store;
        this.tasks = tasks;
        this.search = search;
        this.queue = queue;
        this.taskTypes = taskTypes;
        this.events = events;
        this.views = views;
        this.clock = clock;
    }

    public TaskView get(String id) {
        return views.view(find(id), true);
    }



    /**
     * One page of the task list, newest first: the filters that are set must all match ({@code q}: text in
     * the title, any case, or the beginning of a task id). The total is counted up to {@link #COUNT_CAP}.
     */
    public TaskPage search(String state, String type, String repository, String q, int page, int size) {
        return search(state, type, repository, q, page, null, size);
    }

    /**
     * As {@link #search(String, String, String, String, int, int)}, at a {@code page} number or at a {@code cursor}
     * (a page's {@code next_cursor} or {@code prev_cursor}; not both): a cursor costs the same at any depth, a page
     * number reads every row before it.
     */
    public TaskPage search(String state, String type, String repository, String q, Integer page, String cursor, int size) {
        if (size < 1 || size > MAX_SIZE) {
            throw new InvalidInputException("size", "must be between 1 and " + MAX_SIZE + ", was " + size);
        }
        boolean byCursor = cursor != null && !cursor.isBlank();
        if (byCursor && page != null && page != 0) {
            throw new InvalidInputException("cursor", "give either page or cursor, not both");
        }
        int pageNumber = page == null ? 0 : page;
        if (pageNumber < 0 || pageNumber > MAX_PAGE) {
            throw new InvalidInputException("page", "must be between 0 and " + MAX_PAGE + ", was " + pageNumber);
        }
        TaskSearch.Filter filter = filter(state, type, repository, q, "");
        TaskCursor at = byCursor ? TaskCursor.parse(cursor, "cursor") : null;
        long offset = at == null ? (long) pageNumber * size : at.offset();
        List<TaskRow> rows;
        boolean newerPage = at != null && !at.older();
        if (at == null) {
            rows = search.page(filter, offset, size + 1);
        } else if (at.older()) {
            rows = search.olderThan(filter, at.key(), size + 1);
        } else {
            rows = search.newerThan(filter, at.key(), size + 1);
            if (rows.size() > size) {
                rows = rows.subList(1, rows.size()); // the page just newer than the key; newer ones remain
                offset = Math.max(1, at.offset() - size);
            } else {
                rows = search.page(filter, 0, size + 1); // the newest page: from the top, full
                offset = 0;
                newerPage = false;
            }
        }
        boolean hasNext = newerPage || rows.size() > size;
        List<TaskRow> shown = rows.subList(0, Math.min(size, rows.size()));
        List<TaskView> content = shown.stream().map(views::view).toList();
        String next = hasNext && !shown.isEmpty()
                ? new TaskCursor(true, offset + shown.size(), TaskSearch.Key.of(shown.get(shown.size() - 1))).encode() : null;
        String prev = offset > 0 && !shown.isEmpty() ? new TaskCursor(false, offset, TaskSearch.Key.of(shown.get(0))).encode() : null;
        int pageShown = (int) Math.min(MAX_PAGE, offset / size);
        long shownUpTo = offset + content.size();
        if (!hasNext && (offset == 0 || !content.isEmpty())) {
            return new TaskPage(content, pageShown, size, shownUpTo, true, false, null, prev); // the last page: the total is known
        }
        long counted = search.countUpTo(filter, COUNT_CAP + 1L);
        boolean exact = counted <= COUNT_CAP;
        long total = exact ? counted : Math.max(COUNT_CAP, shownUpTo);
        return new TaskPage(content, pageShown, size, total, exact, hasNext, next, prev);
    }

    /**
     * The search filter from the API's spellings, checked: {@code state} and {@code type} in any case (the
     * stored spelling is compared), {@code prefix} names the fields in errors ("filter." for a bulk body).
     */
    TaskSearch.Filter filter(String state, String type, String repository, String q, String prefix) {
        // Filters compare with the stored (canonical) spelling: "Queued" finds queued tasks.
        WorkOrderState stateValue;
        String typeName;
        try {
            stateValue = state == null ? null : WorkOrderState.fromWire(state);
            typeName = type == null ? null : taskTypes.require(type).name();
        } catch (InvalidMessageException e) {
            String problem = e.getMessage().startsWith(e.field() + ": ") ? e.getMessage().substring(e.field().length() + 2)
                    : e.getMessage();
            throw new InvalidMessageException(prefix + e.field(), problem);
        }
        Texts.line(repository, prefix + "repository", 2000);
        Texts.line(q, prefix + "q", MAX_QUERY);
        return new TaskSearch.Filter(stateValue == null ? null : stateValue.wireName(), typeName, repository, q);
    }

    /** Cancels a queued, waiting or parked task at once, or flags a running one for its worker. */
    public TaskView cancel(String id) {
        TaskRow row = find(id);
        Instant now = clock.instant();
        if (row.state() == WorkOrderState.WAITING) {
            // never in the queue: cancelled here; its own dependents follow (chains.ChainReleaser)
            TaskRow cancelled = store.transition(id, t -> t.state() != WorkOrderState.WAITING ? null
                    : t.after(TaskEvent.CANCELLED, "cancelled by operator", now)).orElseThrow();
            if (cancelled.state() == WorkOrderState.CANCELLED) {
                events.append("task_cancelled", id, null, Map.of("task_id", id, "while", "waiting"));
                return views.view(cancelled);
            }
            row = cancelled;
        }
        CancelResult r = queue.cancel(TaskType.of(row.type()), id);
        boolean parked = row.state() == WorkOrderState.PARKED;
        if (parked && r == CancelResult.NOT_FOUND) {
            r = CancelResult.REMOVED; // Redis lost the parked order: the database's parked task is all there is to cancel
        }
        switch (r) {
            case REMOVED -> {
                row = store.transition(id, t -> t.after(TaskEvent.CANCELLED, "cancelled by operator", now)).orElseThrow();
                events.append("task_cancelled", id, row.workerId(), Map.of("task_id", id, "while", parked ? "parked" : "queued"));
            }
            case FLAGGED -> events.append("task_progress", id, row.workerId(),
                    Map.of("task_id", id, "message", "cancel requested; the worker stops at its next lease extension"));
            default -> throw new ConflictException("task " + id + " is " + row.state().wireName() + "; there is nothing to cancel");
        }
        return views.view(row);
    }

    public TaskView changePriority(String id, String priorityText) {
        TaskRow row = find(id);
        if (priorityText == null) {
            throw new InvalidMessageException("priority", "is required");
        }
        Priority p = Priority.fromWire(priorityText);
        // Atomic in the queue: a queued order moves to the tail of its new level; one claimed meanwhile is refused.
        java.util.Optional<String> refused = queue.reprioritize(TaskType.of(row.type()), id, p);
        if (refused.isPresent()) {
            throw new ConflictException("task " + id + " is " + refused.get() + " in its queue; only a queued or delayed task "
                    + "can change priority");
        }
        Instant now = clock.instant();
        row = store.transition(id, t -> t.withPriority(p.name(), p.queueLevel().wireName(), now)).orElseThrow();
        events.append("queue_updated", id, null, Map.of("task_id", id, "priority", p.name(), "queue", p.queueLevel().wireName()));
        return views.view(row);
    }

    /**
     * Moves a queued task inside its queue level: {@code to} is top, up, down or bottom (the operator's
     * reorder; its priority stays). Refused when the task is not waiting in its queue any more.
     */
    public QueuePlace move(String id, String to) {
        TaskRow row = find(id);
        if (to == null || to.isBlank()) {
            throw new InvalidMessageException("to", "is required: top, up, down or bottom");
        }
        WorkQueue.Move where = switch (to.trim().toLowerCase(Locale.ROOT)) {
            case "top" -> WorkQueue.Move.TOP;
            case "up" -> WorkQueue.Move.UP;
            case "down" -> WorkQueue.Move.DOWN;
            case "bottom" -> WorkQueue.Move.BOTTOM;
            default -> throw new InvalidMessageException("to", "'" + to + "' is not one of top, up, down, bottom");
        };
        WorkQueue.MoveResult r = queue.move(TaskType.of(row.type()), id, where);
        if (!r.moved()) {
            throw new ConflictException("task " + id + " is " + r.state() + " in its queue; only a queued task can be moved");
        }
        events.append("queue_updated", id, null, Map.of("task_id", id, "queue", r.level().wireName(),
                "position", r.position()));
        return new QueuePlace(id, r.level().wireName(), r.position(), r.length());
    }

    public TaskView retry(String id) {
        TaskRow row = find(id);
        if (TaskStateMachine.next(row.state(), TaskEvent.RETRIED).isEmpty()) {
            throw new ConflictException("task " + id + " is " + row.state().wireName()
                    + "; only failed, dead or cancelled tasks are retried");
        }
        TaskType type = TaskType.of(row.type());
        Instant now = clock.instant();
        List<String> parents = chains.parentsOf(id);
        boolean waits = false;
        for (String parent : parents) {
            WorkOrderState ps = tasks.findById(parent).map(TaskRow::state).orElse(WorkOrderState.CANCELLED);
            if (ps == WorkOrderState.FAILED || ps == WorkOrderState.DEAD || ps == WorkOrderState.CANCELLED) {
                throw new ConflictException("task " + id + " waits for " + parent + ", which is " + ps.wireName()
                        + "; retry that one first");
            }
            waits |= ps != WorkOrderState.COMPLETED;
        }
        if (waits) {
            row = store.transition(id, t -> t.after(TaskEvent.HELD, null, now)).orElseThrow();
            if (row.state() != WorkOrderState.WAITING) {
                throw new ConflictException("task " + id + " is " + row.state().wireName()
                        + "; only failed, dead or cancelled tasks are retried");
            }
            events.append("task_waiting", id, null, Map.of("task_id", id, "retry", true, "depends_on", parents));
            return views.view(row);
        }
        // Queued in the database first, the order in the queue while the row stays locked: a worker that
        // claims it at once reports its start only after this commit (its event waits for the lock), so the
        // start is never refused as a move out of 'failed'. The queue refusing rolls the row back.
        row = store.transition(id, t -> {
            TaskRow next = t.after(TaskEvent.RETRIED, null, now);
            if (next.state() != t.state() && !queue.retry(type, id)) {
                // The queue no longer holds it (failed and cancelled orders expire, one cancelled while waiting
                // was never there): enqueue the order again, continuing its parent's branch as it is now.
                WorkOrder order = continuations.orderOf(t);
                queue.enqueue(order);
                return next.withWorkOrder(Json.write(order), now);
            }
            return next;
        }).orElseThrow();
        if (row.state() != WorkOrderState.QUEUED) {
            throw new ConflictException("task " + id + " is " + row.state().wireName()
                    + "; only failed, dead or cancelled tasks are retried");
        }
        events.append("task_queued", id, null, Map.of("task_id", id, "retry", true));
        return views.view(row);
    }

    private TaskRow find(String id) {
        Check.id(id, "id");
        return tasks.findById(id).orElseThrow(() -> new NotFoundException("task", id));
    }
}
