package io.agentvine.controller.tasks;

import io.agentvine.controller.config.ControllerSettings;
import io.agentvine.controller.domain.QueueUnavailableException;
import io.agentvine.controller.persistence.TaskRepository;
import io.agentvine.controller.persistence.TaskRow;
import io.agentvine.controller.persistence.TaskStore;
import io.agentvine.model.Check;
import io.agentvine.model.InvalidMessageException;
import io.agentvine.model.ModelTier;
import io.agentvine.model.PermissionLevel;
import io.agentvine.model.Priority;
import io.agentvine.model.TaskType;
import io.agentvine.model.TaskTypes;
import io.agentvine.model.WorkOrder;
import io.agentvine.model.WorkOrderState;
import io.agentvine.queue.WorkQueue;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes new tasks: routes each, stores it with its first event and enqueues its order; an idempotency key
 * seen before answers with the task it made. Nothing is stored when the queue cannot take the orders. A
 * task with parents ({@code depends_on}) is stored waiting and enqueued later ({@code chains.ChainReleaser});
 * a task that continues a completed task's work branch gets that branch in its order ({@link Continuations}).
 * Several tasks (a pipeline's steps) are {@link #plan planned} first, then stored in one commit.
 */
@Singleton
public class TaskSubmission {
    private static final Logger log = LoggerFactory.getLogger(TaskSubmission.class);
    /** At most this many parents per task. */
    public static final int MAX_DEPENDS_ON = 20;

    private final TaskStore store;
    private final TaskRepository tasks;
    private final WorkQueue queue;
    private final Router router;
    private final TaskTypes taskTypes;
    private final LiveWorkerTypes live;
    private final Continuations continuations;
    private final ControllerSettings settings;
    private final Clock clock;

    private final SubmissionHold hold;

    public TaskSubmission(TaskStore store, TaskRepository tasks, WorkQueue queue, Router router, TaskTypes taskTypes,
                          LiveWorkerTypes live, Continuations continuations, ControllerSettings settings, Clock clock,
                          SubmissionHold hold) {
        this.hold = hold;
        this.store = store;
        this.tasks = tasks;
        this.queue = queue;
        this.router = router;
        this.taskTypes = taskTypes;
        this.live = live;
        this.continuations = continuations;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * A task planned, not stored yet: its row (queued or waiting), its order, its links and first event.
     * {@code existing} is set instead when its idempotency key named a task made before.
     */
    public record Planned(TaskRow row, WorkOrder order, TaskLinks links, Router.Decision decision, TaskRow existing) {
        public String id() {
            return existing != null ? existing.id() : row.id();
        }

        boolean waits() {
            return row.state() == WorkOrderState.WAITING;
        }
    }

    /** One task ({@code depends_on} honoured; no pipeline: see {@code chains.Pipelines}). */
    public TaskCreated create(TaskRequest req) {
        if (req == null) {
            throw new InvalidMessageException("body", "is empty");
        }
        if (req.pipeline() != null) {
            throw new InvalidMessageException("pipeline", "is created by POST /api/v1/tasks as a whole");
        }
        Planned p = plan(req, new TaskLinks(dependsOn(req.dependsOn(), "depends_on"), null, null, null), "", Set.of());
        if (p.existing() != null) {
            return created(p.existing(), false, null);
        }
        Set<String> held;
        try {
            held = submit(List.of(p), req);
        } catch (DuplicateSubmission raced) {
            return created(raced.winner(), false, null);
        }
        if (held.contains(p.row().id())) {
            TaskRow now = tasks.findById(p.row().id()).orElse(p.row());
            return created(now, true, now.error());
        }
        return created(p.row(), true, note(p));
    }

    /**
     * Checks {@code req} and routes it into a task that is not stored yet. {@code field} prefixes the names
     * of fields in errors ({@code "pipeline[1]."}); {@code planned} are ids of tasks planned in the same request
     * (allowed as parents though not stored yet).
     */
    public Planned plan(TaskRequest req, TaskLinks links, String field, Set<String> planned) {
        TaskType type = taskTypes.require(req.type());
        if (req.idempotencyKey() != null && !req.idempotencyKey().isBlank()) {
            Optional<TaskRow> existing = store.byIdempotencyKey(req.idempotencyKey().trim());
            if (existing.isPresent()) {
                return new Planned(null, null, links, null, existing.get());
            }
        }
        Priority priority = req.priority() == null ? Priority.DEFAULT : Priority.fromWire(req.priority());
        ModelTier tier = req.modelTier() == null ? null : ModelTier.fromWire(req.modelTier());
        Router.Decision d = router.route(type, priority, tier, blankToNull(req.model()));
        Instant now = clock.instant();
        String id = "t-" + UUID.randomUUID();
        if (req.maxFollowUps() != null || req.chainMaxCostUsd() != null) {
            chainLimits(req);
            if (links.chainId() == null) {
                links = new TaskLinks(links.dependsOn(), links.continues(), id, links.step(), links.maxFollowUps()); // a chain of one, with its limits
            }
        }
        WorkOrder order;
        try {
            order = new WorkOrder(null, id, id, type, priority, req.repositoryUrl(), req.branch(), req.title(),
                    req.instructions(), req.permissionLevel() == null ? null : PermissionLevel.fromWire(req.permissionLevel()),
                    req.testCommand(), d.tier(), d.model(), req.budget(), req.idempotencyKey(), 0, req.maxAttempts(), now, now,
                    req.metadata(), null, null);
        } catch (InvalidMessageException e) {
            throw field.isEmpty() ? e : new InvalidMessageException(field + e.field(), problem(e));
        }
        if ("http".equals(order.repositoryScheme())) {
            throw new InvalidMessageException("repository_url",
                    "plain http is not accepted (credentials would travel in clear); use https, ssh or git");
        }
        if ("file".equals(order.repositoryScheme()) && !settings.isAllowFileRepositories()) {
            throw new InvalidMessageException("repository_url",
                    "file:// repositories are disabled (set agentvine.allow-file-repositories for local demos)");
        }
        boolean waits = false;
        for (String parent : links.dependsOn()) {
            if (planned.contains(parent)) {
                waits = true;
                continue;
            }
            TaskRow p = tasks.findById(parent).orElseThrow(() -> new InvalidMessageException(field + "depends_on",
                    "task " + parent + " does not exist"));
            if (p.state() == WorkOrderState.FAILED || p.state() == WorkOrderState.DEAD || p.state() == WorkOrderState.CANCELLED) {
                throw new InvalidMessageException(field + "depends_on", "task " + parent + " is " + p.state().wireName()
                        + ": a task can only wait for one that may still complete (retry it first)");
            }
            waits |= p.state() != WorkOrderState.COMPLETED;
        }
        if (!waits && links.continues() != null) {
            order = order.withContinuation(continuations.of(links.continues()));
        }
        TaskRow row = waits ? TaskRow.waiting(order, d.queue(), d.reason(), d.estimatedCostUsd(), now)
                : TaskRow.queued(order, d.queue(), d.reason(), d.estimatedCostUsd(), now);
        return new Planned(row, order, links, d, null);
    }

    /**
     * Stores the planned tasks (their rows, first events, chain rows and dependencies) in one commit, then
     * enqueues the orders of those that do not wait; when the queue cannot take them, nothing stays stored.
     * {@code chainLimits} gives the chain's limits (its first task's row carries them).
     *
     * @return the tasks a {@link SubmissionHold} held instead of their enqueue (they wait)
     */
    public Set<String> submit(List<Planned> planned, TaskRequest chainLimits) {
        List<TaskStore.NewTask> rows = new ArrayList<>();
        for (Planned p : planned) {
            if (p.existing() != null) {
                continue;
            }
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("task_id", p.row().id());
            event.put("type", p.order().type().name());
            event.put("priority", p.order().priority().name());
            event.put("queue", p.decision().queue().wireName());
            event.put("model", p.decision().model());
            if (!p.links().dependsOn().isEmpty()) {
                event.put("depends_on", p.links().dependsOn());
            }
            if (p.links().continues() != null) {
                event.put("continues", p.links().continues());
            }
            boolean first = p.links().inChain() && p.links().chainId().equals(p.row().id());
            rows.add(new TaskStore.NewTask(p.row(), p.waits() ? "task_waiting" : "task_queued", event, p.links().dependsOn(),
                    p.links().chainId(), p.links().continues(), p.links().step(),
                    first ? chainLimits.maxFollowUps() : null, first ? chainLimits.chainMaxCostUsd() : null, p.links().maxFollowUps()));
        }
        try {
            store.insertAll(rows);
        } catch (RuntimeException duplicate) {
            Optional<TaskRow> winner = raceWinner(planned);
            if (winner.isPresent()) {
                throw new DuplicateSubmission(winner.get());
            }
            throw duplicate;
        }
        List<String> enqueued = new ArrayList<>();
        Set<String> held = new HashSet<>();
        try {
            for (Planned p : planned) {
                if (p.existing() != null || p.waits()) {
                    continue;
                }
                if (hold.held(p.row(), p.links().chainId())) {
                    held.add(p.row().id());
                } else {
                    queue.enqueue(p.order());
                    enqueued.add(p.order().id());
                }
            }
        } catch (RuntimeException redisDown) {
            for (Planned p : planned) {
                if (p.existing() == null) {
                    if (enqueued.contains(p.row().id())) {
                        queue.remove(p.order().type(), p.order().id());
                    }
                    store.removeUnqueued(p.row().id());
                }
            }
            log.error("enqueue of task(s) {} failed; nothing was stored", planned.stream().map(Planned::id).toList(), redisDown);
            throw new QueueUnavailableException("the work queue is unreachable; nothing was stored, try again", redisDown);
        }
        return held;
    }

    /**
     * After a failed insert: the task that won a race of two requests with one idempotency key (the unique index
     * let one through). A pipeline has no idempotency key: only a single task can lose such a race.
     */
    private Optional<TaskRow> raceWinner(List<Planned> planned) {
        String key = planned.size() == 1 ? planned.get(0).order().idempotencyKey() : null;
        return key == null ? Optional.empty() : store.byIdempotencyKey(key);
    }

    /** Two requests with one idempotency key raced and the other one won: its task answers. */
    public static final class DuplicateSubmission extends RuntimeException {
        private final transient TaskRow winner;

        DuplicateSubmission(TaskRow winner) {
            super("idempotency key already used by " + winner.id(), null, false, false);
            this.winner = winner;
        }

        public TaskRow winner() {
            return winner;
        }
    }

    private static void chainLimits(TaskRequest req) {
        if (req.maxFollowUps() != null && (req.maxFollowUps() < 0 || req.maxFollowUps() > 100)) {
            throw new InvalidMessageException("max_follow_ups", "must be between 0 and 100, was " + req.maxFollowUps());
        }
        Double cost = req.chainMaxCostUsd();
        if (cost != null && (cost.isNaN() || cost.isInfinite() || cost <= 0)) {
            throw new InvalidMessageException("chain_max_cost_usd", "must be a positive amount, was " + cost);
        }
    }

    /** The task ids of {@code depends_on}: each an id, no repeats, at most {@link #MAX_DEPENDS_ON}. */
    public static List<String> dependsOn(List<String> ids, String field) {
        if (ids == null) {
            return List.of();
        }
        if (ids.size() > MAX_DEPENDS_ON) {
            throw new InvalidMessageException(field, "at most " + MAX_DEPENDS_ON + " tasks, was " + ids.size());
        }
        Set<String> seen = new HashSet<>();
        for (String id : ids) {
            Check.id(id, field);
            if (!seen.add(id)) {
                throw new InvalidMessageException(field, "names " + id + " twice");
            }
        }
        return List.copyOf(ids);
    }

    /** The answer for a task that was already stored (a request sent again, or the winner of a race). */
    public TaskCreated existing(TaskRow winner) {
        return created(winner, false, null);
    }

    public TaskCreated created(Planned p) {
        return p.existing() != null ? created(p.existing(), false, null) : created(p.row(), true, note(p));
    }

    private String note(Planned p) {
        if (p.waits()) {
            return "waits for " + String.join(", ", p.links().dependsOn()) + " to complete";
        }
        TaskType type = p.order().type();
        return live.serves(type) ? null
                : "no live worker serves type '" + type + "' yet; the task waits in the " + p.decision().queue().wireName() + " queue";
    }

    static TaskCreated created(TaskRow r, boolean created, String note) {
        return new TaskCreated(r.id(), r.state().wireName(), r.queueLevel(), r.modelTier(), r.model(), r.routingReason(),
                r.estimatedCostUsd(), created, note);
    }

    private static String problem(InvalidMessageException e) {
        return e.getMessage().startsWith(e.field() + ": ") ? e.getMessage().substring(e.field().length() + 2) : e.getMessage();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
