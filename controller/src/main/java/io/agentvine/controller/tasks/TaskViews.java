package io.agentvine.controller.tasks;

import io.agentvine.controller.persistence.AttemptRepository;
import io.agentvine.controller.persistence.LifecycleEventRepository;
import io.agentvine.controller.persistence.TaskChainRepository;
import io.agentvine.controller.persistence.TaskChainRow;
import io.agentvine.controller.persistence.TaskRepository;
import io.agentvine.controller.persistence.TaskRow;
import io.agentvine.model.Json;
import io.agentvine.model.TokenUsage;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/**
 * A task as the API shows it ({@link TaskView}), from its row and, for a single task, its attempts, log
 * location, parents and chain.
 */
@Singleton
public class TaskViews {
    private final AttemptRepository attempts;
    private final LifecycleEventRepository lifecycleEvents;
    private final TaskChainRepository chains;
    private final TaskRepository tasks;

    public TaskViews(AttemptRepository attempts, LifecycleEventRepository lifecycleEvents, TaskChainRepository chains,
                     TaskRepository tasks) {
        this.attempts = attempts;
        this.lifecycleEvents = lifecycleEvents;
        this.chains = chains;
        this.tasks = tasks;
    }

    /** The tasks of {@code id}'s chain, first task first; null when it belongs to none. */
    public List<TaskView.ChainLink> chain(String id) {
        java.util.Optional<TaskChainRow> own = chains.findById(id);
        if (own.isEmpty()) {
            return null;
        }
        List<TaskChainRow> members = chains.findByChainIdOrderByCreatedAt(own.get().chainId());
        Map<String, TaskRow> rows = new java.util.HashMap<>();
        tasks.findAllByIdIn(members.stream().map(TaskChainRow::taskId).toList()).forEach(r -> rows.put(r.id(), r));
        return members.stream().filter(m -> rows.containsKey(m.taskId())).map(m -> {
            TaskRow r = rows.get(m.taskId());
            return new TaskView.ChainLink(r.id(), r.title(), r.type(), r.state().wireName(), m.continuesTaskId(), m.step(),
                    r.costUsd());
        }).toList();
    }

    /** The row alone (lists). */
    public TaskView view(TaskRow r) {
        return view(r, false);
    }

    /** With {@code detail}, the attempt history and the log location (one more query; single-task reads only). */
    public TaskView view(TaskRow r, boolean detail) {
        Object result = r.result() == null ? null : Json.read(r.result(), Map.class);
        List<TaskView.AttemptView> history = null;
        String logLocation = null;
        List<String> dependsOn = null;
        List<TaskView.ChainLink> chain = null;
        if (detail) {
            dependsOn = chains.parentsOf(r.id());
            chain = chain(r.id());
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
                r.costUsd(), r.createdAt(), r.updatedAt(), r.startedAt(), r.finishedAt(),
                TaskRow.holdsStep(r.state()) ? r.step() : null, TaskRow.holdsStep(r.state()) ? r.stepSince() : null,
                dependsOn, chain);
    }
}
