package io.agentvine.controller.api;

import io.agentvine.controller.history.EventLog;
import io.agentvine.controller.security.Roles;
import io.agentvine.model.TaskTypes;
import io.agentvine.model.WorkBranches;
import io.agentvine.queue.WorkQueue;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import java.util.List;
import java.util.Map;

/**
 * Pausing one repository (README "Repository locks"): claims pass its queued tasks over — they keep their places in
 * their queues, other repositories' tasks run — until it is resumed; its running tasks run on. A repository is named by
 * any of its URLs or by its key ({@code github.com/acme/shop}), the same for every form of its URL.
 */
@Controller("/api/v1/repositories")
@ExecuteOn(TaskExecutors.BLOCKING)
public class RepositoriesController {
    /** The body of pause and resume: the repository's URL or key. */
    public record RepositoryRequest(@Nullable String repository) {
        String key() {
            return WorkBranches.operatorRepositoryKey(repository, "repository");
        }
    }

    /** A repository's pause after a request: {@code changed} false when it already was so. */
    public record RepositoryState(String repository, boolean paused, boolean changed) {
    }

    /** The paused repositories' keys. */
    public record PausedRepositories(List<String> paused) {
    }

    private final WorkQueue queue;
    private final TaskTypes taskTypes;
    private final EventLog events;

    public RepositoriesController(WorkQueue queue, TaskTypes taskTypes, EventLog events) {
        this.queue = queue;
        this.taskTypes = taskTypes;
        this.events = events;
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get("/paused")
    public PausedRepositories paused() {
        return new PausedRepositories(List.copyOf(queue.pausedRepositories(taskTypes.allowed())));
    }

    @Secured(Roles.ADMIN)
    @Post("/pause")
    public RepositoryState pause(@Body RepositoryRequest body) {
        return set(body.key(), true);
    }

    @Secured(Roles.ADMIN)
    @Post("/resume")
    public RepositoryState resume(@Body RepositoryRequest body) {
        return set(body.key(), false);
    }

    private RepositoryState set(String key, boolean paused) {
        boolean changed = paused ? queue.pauseRepository(key, taskTypes.allowed()) : queue.resumeRepository(key, taskTypes.allowed());
        if (changed) {
            events.append("queue_updated", null, null, Map.of("repository", key, "paused", paused));
        }
        return new RepositoryState(key, paused, changed);
    }
}
