package io.agentvine.controller.tasks;

import io.agentvine.controller.domain.TaskEvent;
import io.agentvine.controller.domain.TaskStateMachine;
import io.agentvine.controller.domain.NotFoundException;
import io.agentvine.controller.domain.ConflictException;
import io.agentvine.controller.domain.InvalidInputException;
import io.agentvine.controller.domain.QueueUnavailableException;
import io.agentvine.controller.config.ControllerSettings;
import io.agentvine.controller.history.EventLog;
import io.agentvine.controller.persistence.AttemptRepository;
import io.agentvine.controller.persistence.LifecycleEventRepository;
import io.agentvine.controller.persistence.TaskRepository;
import io.agentvine.controller.persistence.TaskRow;
import io.agentvine.controller.persistence.TaskStore;
import io.agentvine.controller.persistence.WorkerRepository;
import io.agentvine.controller.input.Texts;
import io.agentvine.model.Check;
import io.agentvine.model.InvalidMessageException;
import io.agentvine.model.Json;
import io.agentvine.model.ModelTier;
import io.agentvine.model.PermissionLevel;
import io.agentvine.model.Priority;
import io.agentvine.model.TaskType;
import io.agentvine.model.TaskTypes;
import io.agentvine.model.TokenUsage;
import io.agentvine.model.WorkOrder;
import io.agentvine.model.WorkOrderState;
import io.agentvine.queue.CancelResult;
import io.agentvine.queue.WorkQueue;
import io.micronaut.data.model.Page;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.Sort;
import io.micronaut.data.repository.jpa.criteria.PredicateSpecification;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What operators do with tasks: create (routing, idempotency), read, cancel, reprioritize, retry. */
@Singleton
public class TaskService {
    private static final Logger log = LoggerFactory.getLogger(TaskService.class);
    private static final int MAX_PAGE = 1_000_000;

    private final TaskRepository tasks;
    private final WorkerRepository workers;
    private final WorkQueue queue;
    private final Router router;
    private final TaskTypes taskTypes;
    private final EventLog events;
    private final ControllerSettings settings;
    private final Clock clock;
    private final TaskStore store;
    private final AttemptRepository attempts;
    private final LifecycleEventRepository lifecycleEvents;

    public TaskService(TaskStore store,
                       AttemptRepository attempts,
                       LifecycleEventRepository lifecycleEvents, TaskRepository tasks, WorkerRepository workers, WorkQueue queue, Router router,
                       TaskTypes taskTypes, EventLog events, ControllerSettings settings, Clock clock) {
        this.store = store;
        this.attempts = attempts;
        this.lifecycleEvents = lifecycleEvents;
        this.tasks = tasks;
        this.workers = workers;
        this.queue = queue;
        this.router = router;
        this.taskTypes = taskTypes;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
    }

    public TaskCreated create(TaskRequest req) {
        if (req == null) {
            throw new InvalidMessageException("body", "is empty");
        }
        TaskType type = taskTypes.require(req.type());
        if (req.idempotencyKey() != null && !req.idempotencyKey().isBlank()) {
            Optional<TaskRow> existing = tasks.findByIdempotencyKey(req.idempotencyKey().trim());
            if (existing.isPresent()) {
                return created(existing.get(), false, null);
            }
        }
        Priority priority = req.priority() == null ? Priority.DEFAULT : Priority.fromWire(req.priority());
        ModelTier tier = req.modelTier() == null ? null : ModelTier.fromWire(req.modelTier());
        Router.Decision d = router.route(type, priority, tier, blankToNull(req.model()));
        Instant now = clock.instant();
        String id = "t-" + UUID.randomUUID();
        WorkOrder order = new WorkOrder(null, id, id, type, priority, req.repositoryUrl(), req.branch(), req.title(),
                req.instructions(), req.permissionLevel() == null ? null : PermissionLevel.fromWire(req.permissionLevel()),
                req.testCommand(), d.tier(), d.model(), req.budget(), req.idempotencyKey(), 0, req.maxAttempts(), now, now,
                req.metadata());
        if ("http".equals(order.repositoryScheme())) {
            throw new InvalidMessageException("repository_url",
                    "plain http is not accepted (credentials would travel in clear); use https, ssh or git");
        }
        if ("file".equals(order.repositoryScheme()) && !settings.isAllowFileRepositories()) {
            throw new InvalidMessageException("repository_url",
                    "file:// repositories are disabled (set agentvine.allow-file-repositories for local demos)");
        }
        TaskRow row = TaskRow.queued(order, d.queue(), d.reason(), d.estimatedCostUsd(), now);
        Map<String, Object> queuedEvent = Map.of("task_id", id, "type", type.name(), "priority", priority.name(),
                "queue", d.queue().wireName(), "model", d.model());
        try {
            store.insertQueued(row, queuedEvent);
        } catch (RuntimeException duplicate) {
            // Two requests with one idempotency key raced: the unique index let one through.
            if (order.idempotencyKey() != null) {
                Optional<TaskRow> winner = tasks.findByIdempotencyKey(order.idempotencyKey());
                if (winner.isPresent()) {
                    return created(winner.get(), false, null);
                }
            }
            throw duplicate;
        }
        try {
            queue.enqueue(order);
        } catch (RuntimeException redisDown) {
            store.removeUnqueued(id);
            log.error("enqueue of task {} failed; nothing was stored", id, redisDown);
            throw new QueueUnavailableException("the work queue is unreachable; nothing was stored, try again", redisDown);
        }
        String note = hasLiveWorker(type) ? null
                : "no live worker serves type '" + type + "' yet; the task waits in the " + d.queue().wireName() + " queue";
        return created(row, true, note);
    }

    /** Live worker types, cached briefly: the answer's note is advice, not worth a query per request. */
    private volatile Set<String> liveTypes = Set.of();
    private volatile Instant liveTypesAt = Instant.EPOCH;

    private boolean hasLiveWorker(TaskType type) {
        Instant now = clock.instant();
        if (now.isAfter(liveTypesAt.plusSeconds(2)) || now.isBefore(liveTypesAt)) {
            Set<String> types = new HashSet<>();
            workers.liveWorkerTypes().forEach(t -> types.addAll(Arrays.asList(t.split(","))));
            liveTypes = types;
            liveTypesAt = now;
        }
        return liveTypes.contains(type.name());
    }

    private static TaskCreated created(TaskRow r, boolean created, String note) {
        return new TaskCreated(r.id(), r.state().wireName(), r.queueLevel(), r.modelTier(), r.model(), r.routingReason(),
                r.estimatedCostUsd(), created, note);
    }

    public TaskView get(String id) {
        return view(find(id), true);
    }



    public Page<TaskView> list(String state, String type, String repository, int page, int size) {
        if (size < 1 || size > 200) {
            throw new InvalidInputException("size", "must be between 1 and 200, was " + size);
        }
        if (page < 0 || page > MAX_PAGE) {
            throw new InvalidInputException("page", "must be between 0 and " + MAX_PAGE + ", was " + page);
        }
        // Filters compare with the stored (canonical) spelling: "Queued" finds queued tasks.
        WorkOrderState stateValue = state == null ? null : WorkOrderState.fromWire(state);
        String typeName = type == null ? null : taskTypes.require(type).name();
        Texts.line(repository, "repository", 2000);
        PredicateSpecification<TaskRow> spec = null;
        Map<String, Object> filters = new LinkedHashMap<>();
        filters.put("state", stateValue == null ? null : stateValue.wireName()); // the column's spelling
        filters.put("type", typeName);
        filters.put("repositoryUrl", repository);
        for (Map.Entry<String, Object> filter : filters.entrySet()) {
            if (filter.getValue() != null) {
                PredicateSpecification<TaskRow> f = (root, cb) -> cb.equal(root.get(filter.getKey()), filter.getValue());
                spec = spec == null ? f : spec.and(f);
            }
        }
        Pageable pageable = Pageable.from(page, size, Sort.of(Sort.Order.desc("createdAt")));
        return (spec == null ? tasks.findAll(pageable) : tasks.findAll(spec, pageable)).map(this::view);
    }

    /** Cancels a queued task at once, or flags a running one for its worker. */
    public TaskView cancel(String id) {
        TaskRow row = find(id);
        CancelResult r = queue.cancel(TaskType.of(row.type()), id);
        Instant now = clock.instant();
        switch (r) {
            case REMOVED -> {
                row = store.transition(id, t -> t.after(TaskEvent.CANCELLED, "cancelled by operator", now)).orElseThrow();
                events.append("task_cancelled", id, row.workerId(), Map.of("task_id", id, "while", "queued"));
            }
            case FLAGGED -> events.append("task_progress", id, row.workerId(),
                    Map.of("task_id", id, "message", "cancel requested; the worker stops at its next lease extension"));
            default -> throw new ConflictException("task " + id + " is " + row.state().wireName() + "; there is nothing to cancel");
        }
        return view(row);
    }

    public TaskView changePriority(String id, String priorityText) {
        TaskRow row = find(id);
        if (priorityText == null) {
            throw new InvalidMessageException("priority", "is required");
        }
        Priority p = Priority.fromWire(priorityText);
        if (!queue.changePriority(TaskType.of(row.type()), id, p)) {
            throw new ConflictException("task " + id + " is " + row.state().wireName() + "; only a queued task can change priority");
        }
        Instant now = clock.instant();
        row = store.transition(id, t -> t.withPriority(p.name(), p.queueLevel().wireName(), now)).orElseThrow();
        events.append("queue_updated", id, null, Map.of("task_id", id, "priority", p.name(), "queue", p.queueLevel().wireName()));
        return view(row);
    }

    public TaskView retry(String id) {
        TaskRow row = find(id);
        if (TaskStateMachine.next(row.state(), TaskEvent.RETRIED).isEmpty()) {
            throw new ConflictException("task " + id + " is " + row.state().wireName()
                    + "; only failed, dead or cancelled tasks are retried");
        }
        TaskType type = TaskType.of(row.type());
        if (!queue.retry(type, id)) {
            // The queue no longer holds it (failed and cancelled orders expire): enqueue the stored order again.
            queue.enqueue(Json.read(row.workOrder(), WorkOrder.class));
        }
        Instant now = clock.instant();
        row = store.transition(id, t -> t.after(TaskEvent.RETRIED, null, now)).orElseThrow();
        events.append("task_queued", id, null, Map.of("task_id", id, "retry", true));
        return view(row);
    }

    private TaskRow find(String id) {
        Check.id(id, "id");
        return tasks.findById(id).orElseThrow(() -> new NotFoundException("task", id));
    }

    private TaskView view(TaskRow r) {
        return view(r, false);
    }

    /** With {@code detail}, the attempt history and the log location (one more query; single-task reads only). */
    private TaskView view(TaskRow r, boolean detail) {
        Object result = r.result() == null ? null : Json.read(r.result(), Map.class);
        List<TaskView.AttemptView> history = null;
        String logLocation = null;
        if (detail) {
            history = attempts.findByTaskIdOrderByAttemptAndId(r.id()).stream().map(a -> new TaskView.AttemptView(
                    a.attempt(), a.workerId(), a.model(), a.startedAt(), a.endedAt(), a.outcome(), a.reason(),
                    new TokenUsage(a.inputTokens(), a.outputTokens(), a.cacheReadTokens(), a.cacheCreationTokens()),
                    a.costUsd(), a.result() == null ? null : Json.read(a.result(), Map.class))).toList();
            String worker = history.isEmpty() ? r.workerId() : history.get(history.size() - 1).workerId();
            logLocation = worker == null ? null : lifecycleEvents.findLogLocation(r.id())
                    .orElse("worker " + worker + ": logs/" + r.id() + ".log");
        }
        return new TaskView(r.id(), r.type(), r.state().wireName(), r.priority(), r.queueLevel(), r.repositoryUrl(), r.branch(),
                r.title(), r.permissionLevel(), r.modelTier(), r.model(), r.routingReason(), r.estimatedCostUsd(),
                r.idempotencyKey(), r.workerId(), r.attempts(), history, logLocation, result, r.error(),
                new TokenUsage(r.inputTokens(), r.outputTokens(), r.cacheReadTokens(), r.cacheCreationTokens()),
                r.costUsd(), r.createdAt(), r.updatedAt(), r.startedAt(), r.finishedAt());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
