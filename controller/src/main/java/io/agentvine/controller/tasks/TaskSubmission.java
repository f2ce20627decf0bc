package io.agentvine.controller.tasks;

import io.agentvine.controller.config.ControllerSettings;
import io.agentvine.controller.domain.QueueUnavailableException;
import io.agentvine.controller.persistence.TaskRow;
import io.agentvine.controller.persistence.TaskStore;
import io.agentvine.model.InvalidMessageException;
import io.agentvine.model.ModelTier;
import io.agentvine.model.PermissionLevel;
import io.agentvine.model.Priority;
import io.agentvine.model.TaskType;
import io.agentvine.model.TaskTypes;
import io.agentvine.model.WorkOrder;
import io.agentvine.queue.WorkQueue;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a new task: routes it, stores it with its {@code task_queued} event and enqueues its order; an
 * idempotency key seen before answers with the task it made. Nothing is stored when the queue cannot
 * take the order.
 */
@Singleton
public class TaskSubmission {
    private static final Logger log = LoggerFactory.getLogger(TaskSubmission.class);

    private final TaskStore store;
    private final WorkQueue queue;
    private final Router router;
    private final TaskTypes taskTypes;
    private final LiveWorkerTypes live;
    private final ControllerSettings settings;
    private final Clock clock;

    public TaskSubmission(TaskStore store, WorkQueue queue, Router router, TaskTypes taskTypes, LiveWorkerTypes live,
                          ControllerSettings settings, Clock clock) {
        this.store = store;
        this.queue = queue;
        this.router = router;
        this.taskTypes = taskTypes;
        this.live = live;
        this.settings = settings;
        this.clock = clock;
    }

    public TaskCreated create(TaskRequest req) {
        if (req == null) {
            throw new InvalidMessageException("body", "is empty");
        }
        TaskType type = taskTypes.require(req.type());
        if (req.idempotencyKey() != null && !req.idempotencyKey().isBlank()) {
            Optional<TaskRow> existing = store.byIdempotencyKey(req.idempotencyKey().trim());
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
                Optional<TaskRow> winner = store.byIdempotencyKey(order.idempotencyKey());
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
        String note = live.serves(type) ? null
                : "no live worker serves type '" + type + "' yet; the task waits in the " + d.queue().wireName() + " queue";
        return created(row, true, note);
    }

    private static TaskCreated created(TaskRow r, boolean created, String note) {
        return new TaskCreated(r.id(), r.state().wireName(), r.queueLevel(), r.modelTier(), r.model(), r.routingReason(),
                r.estimatedCostUsd(), created, note);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
