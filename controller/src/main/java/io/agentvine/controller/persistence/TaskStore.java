package io.agentvine.controller.persistence;

import io.agentvine.controller.domain.ConflictException;
import io.agentvine.controller.domain.TaskEnded;
import io.agentvine.logging.LogContext;
import io.agentvine.model.Json;
import io.agentvine.model.WorkOrderState;
import io.micronaut.context.event.ApplicationEventPublisher;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a task's state is written: a new task and its {@code task_queued} event in one commit, and
 * every later change under the row lock. A change that ends the task (completed, failed, dead,
 * cancelled) is logged here, once: INFO when it completed or was cancelled, WARN when it failed or was
 * dead-lettered, with its type, attempt, worker and reason; so is a failed attempt that will be retried.
 * A new state is copied onto the task's runs in the same transaction ({@link AttemptRow#taskState()}).
 * A task that ends is announced ({@link TaskEnded}, heard after the commit: its dependents move then).
 */
@Singleton
public class TaskStore {
    private static final Logger log = LoggerFactory.getLogger(TaskStore.class);

    private final TaskRepository tasks;
    private final EventRepository events;
    private final AttemptRepository attempts;
    private final TaskRunsGuard rollups;
    private final TaskChainRepository chains;
    private final ApplicationEventPublisher<TaskEnded> ended;

    public TaskStore(TaskRepository tasks, EventRepository events, AttemptRepository attempts, TaskRunsGuard rollups,
                     TaskChainRepository chains, ApplicationEventPublisher<TaskEnded> ended) {
        this.chains = chains;
        this.rollups = rollups;
        this.ended = ended;
        this.tasks = tasks;
        this.events = events;
        this.attempts = attempts;
    }

    @Transactional
    public void insertQueued(TaskRow row, Map<String, Object> event) {
        insert(row, "task_queued", event);
    }

    /**
     * A new task to store: its row, its first event, the tasks it waits for and its place in a chain
     * ({@code chainId} null: none); the chain's first task carries the chain's limits. A follow-up carries its chain's
     * {@code followUpLimit}: it is stored only while the chain has fewer follow-ups (counted under the first task's
     * row lock, so follow-ups made at once cannot pass it together).
     */
    public record NewTask(TaskRow row, String eventType, Map<String, Object> event, java.util.List<String> dependsOn,
                          String chainId, String continues, String step, Integer maxFollowUps, Double maxCostUsd,
                          Integer followUpLimit) {
    }

    /** New tasks with their events, dependencies and chain rows, in one commit (a pipeline's steps together). */
    @Transactional
    public void insertAll(java.util.List<NewTask> rows) {
        for (NewTask t : rows) {
            insert(t.row(), t.eventType(), t.event());
            for (String parent : t.dependsOn()) {
                chains.addDependency(t.row().id(), parent);
            }
            if (t.chainId() != null) {
                if (!t.chainId().equals(t.row().id())) {
                    // The chain's first task, locked: follow-ups of one task made at once join its chain one after the
                    // other (one makes the chain row, the others see it; each counts the follow-ups before it).
                    java.util.Optional<TaskRow> root = tasks.findByIdForUpdate(t.chainId());
                    if (!chains.existsById(t.chainId())) {
                        // the first task was made on its own: it joins the chain with the default limits, and what
                        // it spent so far counts for the chain
                        chains.save(new TaskChainRow(t.chainId(), t.chainId(), null, null, null, null,
                                root.map(TaskRow::createdAt).orElse(t.row().createdAt())));
                        chains.chainSpend(t.chainId(), t.chainId());
                    }
                    if (t.followUpLimit() != null) {
                        long followUps = chains.findByChainIdOrderByCreatedAt(t.chainId()).stream()
                                .filter(m -> m.continuesTaskId() != null).count();
                        if (followUps >= t.followUpLimit()) {
                            throw new ConflictException("the chain of " + t.chainId() + " has " + followUps
                                    + " follow-ups, its max_follow_ups; start a new task instead");
                        }
                    }
                }
                chains.save(new TaskChainRow(t.row().id(), t.chainId(), t.continues(), t.step(), t.maxFollowUps(),
                        t.maxCostUsd(), t.row().createdAt()));
            }
        }
    }

    /** A new task and its first event ({@code task_queued}, or {@code task_waiting} for a task with parents) in one commit. */
    @Transactional
    public void insert(TaskRow row, String eventType, Map<String, Object> event) {
        tasks.save(row);
        events.save(new EventRow(null, eventType, row.id(), null, Json.write(event), row.createdAt()));
    }

    /**
     * Changes a task under its row lock, so concurrent writers (lifecycle consumers of several replicas,
     * the sweeper, operators) never overwrite each other's change. {@code change} returns null to leave
     * the row as it is.
     */
    @Transactional
    public Optional<TaskRow> transition(String id, UnaryOperator<TaskRow> change) {
        return tasks.findByIdForUpdate(id).map(current -> {
            TaskRow next = change.apply(current);
            return next == null || next.equals(current) ? current : update(current, next);
        });
    }

    /**
     * Writes {@code next} over {@code before}, whose row lock the caller's transaction holds; nothing
     * when they are equal (a move the state machine refused returns the row as it was).
     */
    @Transactional
    public TaskRow update(TaskRow before, TaskRow next) {
        if (next.equals(before)) {
            return before;
        }
        TaskRow written;
        if (next.state() != before.state()) {
            // the runs carry the state, and the reports' rollups count tasks by it
            written = rollups.around(next.id(), () -> {
                TaskRow w = tasks.update(next);
                attempts.updateTaskState(w.id(), w.state().wireName());
                return w;
            });
        } else {
            written = tasks.update(next);
        }
        logEnd(before, written);
        if (written.state().isFinal() && written.state() != before.state()) {
            ended.publishEvent(new TaskEnded(written.id(), written.state()));
        }
        return written;
    }

    private static void logEnd(TaskRow before, TaskRow after) {
        if (before.state().isFinal() || before.state() == after.state()) {
            return;
        }
        String event = switch (after.state()) {
            case COMPLETED -> "completed";
            case CANCELLED -> "cancelled";
            case FAILED, DEAD, DELAYED -> "failed";
            default -> null;
        };
        if (event == null) {
            return;
        }
        String error = after.error();
        String reason = error == null || event.equals("completed") ? null : error.contains(":") ? error.substring(0, error.indexOf(':')) : error;
        try (var run = LogContext.run(after.workerId(), after.id(), null, after.attempts());
             var e = LogContext.event(event, event.equals("failed") ? reason : null)) {
            switch (after.state()) {
                case COMPLETED -> log.info("task {} completed (type {}, attempt {}, worker {})", after.id(), after.type(),
                        after.attempts(), after.workerId());
                case CANCELLED -> log.info("task {} cancelled (type {}, attempt {}, worker {}): {}", after.id(), after.type(),
                        after.attempts(), after.workerId(), after.error());
                case FAILED, DEAD -> log.warn("task {} {} (type {}, attempt {}, worker {}): {}", after.id(),
                        after.state() == WorkOrderState.DEAD ? "dead-lettered" : "failed", after.type(), after.attempts(),
                        after.workerId(), after.error());
                case DELAYED -> log.warn("task {} attempt {} failed, retry scheduled (type {}, worker {}): {}", after.id(),
                        after.attempts(), after.type(), after.workerId(), after.error());
                default -> { }
            }
        }
    }

    /** The task an idempotency key made, if any. */
    public Optional<TaskRow> byIdempotencyKey(String key) {
        return tasks.findByIdempotencyKey(key);
    }

    /** Undoes {@link #insertQueued} when the order could not be enqueued. */
    @Transactional
    public void removeUnqueued(String id) {
        events.deleteByTaskIdAndType(id, "task_queued");
        events.deleteByTaskIdAndType(id, "task_waiting");
        chains.removeDependencies(id);
        if (chains.existsById(id)) {
            chains.deleteById(id);
        }
        tasks.deleteById(id);
    }
}
