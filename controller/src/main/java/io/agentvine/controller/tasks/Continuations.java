package io.agentvine.controller.tasks;

import io.agentvine.controller.domain.ConflictException;
import io.agentvine.controller.domain.NotFoundException;
import io.agentvine.controller.persistence.TaskChainRepository;
import io.agentvine.controller.persistence.TaskChainRow;
import io.agentvine.controller.persistence.TaskRepository;
import io.agentvine.controller.persistence.TaskRow;
import io.agentvine.model.Continuation;
import io.agentvine.model.Json;
import io.agentvine.model.WorkBranches;
import io.agentvine.model.WorkOrder;
import io.agentvine.model.WorkOrderState;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;

/**
 * What a task that continues a completed task's work branch is given ({@link Continuation}): the branch and
 * its commit, the pull request, the agent's session and summary, as the completed task's result reported
 * them. A completed task that pushed nothing passes on what it was itself given (its branch may not exist
 * on the remote yet); a task of its own passes on its work branch {@code agentvine/<type>/<id>}.
 */
@Singleton
public class Continuations {
    private final TaskRepository tasks;
    private final TaskChainRepository chains;

    public Continuations(TaskRepository tasks, TaskChainRepository chains) {
        this.tasks = tasks;
        this.chains = chains;
    }

    /** The continuation of completed task {@code taskId}. */
    public Continuation of(String taskId) {
        TaskRow done = tasks.findById(taskId).orElseThrow(() -> new NotFoundException("task", taskId));
        if (done.state() != WorkOrderState.COMPLETED) {
            throw new ConflictException("task " + taskId + " is " + done.state().wireName() + "; only a completed task's branch is continued");
        }
        WorkOrder order = Json.read(done.workOrder(), WorkOrder.class);
        Map<?, ?> result = done.result() == null ? Map.of() : Json.read(done.result(), Map.class);
        Continuation given = order.continuation();
        String branch = text(result, "branch").orElse(WorkBranches.of(order));
        boolean pushed = Boolean.TRUE.equals(result.get("pushed"));
        String commit = pushed ? text(result, "commit").orElse(null) : given == null ? null : given.startCommit();
        String pr = text(result, "pr_url").orElse(given == null ? null : given.pullRequestUrl());
        String summary = text(result, "summary").orElse("");
        if (summary.length() > Continuation.MAX_SUMMARY) {
            summary = summary.substring(0, Continuation.MAX_SUMMARY);
        }
        String session = text(result, "session_id").orElse(null);
        String agent = text(result, "agent").orElse(null);
        return new Continuation(taskId, branch, commit, pr, agent, session, summary.isEmpty() ? done.title() : summary);
    }

    /** The order task {@code row} is enqueued with: its stored order, with the continuation of the task it continues. */
    public WorkOrder orderOf(TaskRow row) {
        WorkOrder order = Json.read(row.workOrder(), WorkOrder.class);
        Optional<String> continues = chains.findById(row.id()).map(TaskChainRow::continuesTaskId);
        return continues.isPresent() ? order.withContinuation(of(continues.get())) : order;
    }

    private static Optional<String> text(Map<?, ?> result, String key) {
        Object v = result.get(key);
        return v instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
    }
}
