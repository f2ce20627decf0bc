package io.agentvine.controller.intake;

import io.agentvine.controller.domain.TaskEnded;
import io.agentvine.controller.persistence.TaskRepository;
import io.agentvine.controller.persistence.TaskRow;
import io.agentvine.model.Json;
import io.agentvine.model.WorkOrder;
import io.agentvine.model.WorkOrderState;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.transaction.annotation.TransactionalEventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A task that came from a GitHub issue says on the issue how it ended (its pull request, or why it failed),
 * after the commit that ended it, on the thread {@code github-notices} (a slow GitHub never holds up the
 * lifecycle consumer that applied the end).
 */
@Singleton
public class GitHubNotices {
    private final TaskRepository tasks;
    private final AllowedRepositories repositories;
    private final GitHubApi github;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "github-notices");
        t.setDaemon(true);
        return t;
    });

    public GitHubNotices(TaskRepository tasks, AllowedRepositories repositories, GitHubApi github) {
        this.tasks = tasks;
        this.repositories = repositories;
        this.github = github;
    }

    @TransactionalEventListener(TransactionalEventListener.TransactionPhase.AFTER_COMMIT)
    void onEnded(TaskEnded ended) {
        try {
            executor.execute(() -> notice(ended));
        } catch (RejectedExecutionException shuttingDown) {
            // the controller stops: the issue hears nothing of this end
        }
    }

    /** Comments the end of {@code ended} on its issue, when it came from one. */
    void notice(TaskEnded ended) {
        Optional<TaskRow> row = tasks.findById(ended.taskId());
        if (row.isEmpty()) {
            return;
        }
        Map<String, Object> meta = Json.read(row.get().workOrder(), WorkOrder.class).metadata();
        if (meta == null || !(meta.get("github_repository") instanceof String repo) || !(meta.get("github_issue") instanceof Number issue)) {
            return;
        }
        // only on an issue of the repository the task worked on: metadata any API caller may set must not carry one
        // repository's errors to another's issues
        repositories.admitForComment(repo).filter(admitted -> repositories.sameRepository(admitted, row.get().repositoryUrl()))
                .ifPresent(admitted -> {
            String pr = null;
            if (row.get().result() != null && Json.read(row.get().result(), Map.class).get("pr_url") instanceof String url) {
                pr = url;
            }
            String text = ended.state() == WorkOrderState.COMPLETED
                    ? "AgentVine task `" + ended.taskId() + "` completed" + (pr == null ? "." : ": " + pr)
                    : "AgentVine task `" + ended.taskId() + "` ended " + ended.state().wireName()
                            + (row.get().error() == null ? "." : ": " + row.get().error());
            github.comment(admitted, issue.longValue(), text);
        });
    }

    @EventListener
    void onShutdown(ShutdownEvent event) {
        close();
    }

    @PreDestroy
    void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
