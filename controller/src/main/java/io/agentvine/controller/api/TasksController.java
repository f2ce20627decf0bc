package io.agentvine.controller.api;

import io.agentvine.controller.security.Roles;
import io.agentvine.controller.tasks.BulkRequest;
import io.agentvine.controller.tasks.BulkResult;
import io.agentvine.controller.tasks.QueuePlace;
import io.agentvine.controller.tasks.TaskBulkActions;
import io.agentvine.controller.tasks.TaskCreated;
import io.agentvine.controller.tasks.TaskPage;
import io.agentvine.controller.tasks.TaskPatch;
import io.agentvine.controller.tasks.TaskRequest;
import io.agentvine.controller.tasks.TaskService;
import io.agentvine.controller.tasks.TaskSubmission;
import io.agentvine.controller.tasks.TaskView;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.agentvine.controller.chains.FollowUps;
import io.agentvine.controller.chains.Pipelines;
import io.agentvine.controller.tasks.FollowUpRequest;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

@Controller("/api/v1/tasks")
@ExecuteOn(TaskExecutors.BLOCKING)
public class TasksController {
    private final TaskSubmission submission;
    private final TaskService tasks;
    private final TaskBulkActions bulk;
    private final Pipelines pipelines;
    private final FollowUps followUps;

    public TasksController(TaskSubmission submission, TaskService tasks, TaskBulkActions bulk, Pipelines pipelines,
                           FollowUps followUps) {
        this.submission = submission;
        this.tasks = tasks;
        this.bulk = bulk;
        this.pipelines = pipelines;
        this.followUps = followUps;
    }

    /** A task, or with {@code pipeline} a chain of tasks on one branch (answered with the first and the steps). */
    @Secured(Roles.ADMIN)
    @Post
    public HttpResponse<TaskCreated> create(@Body TaskRequest body) {
        TaskCreated created = body != null && body.pipeline() != null ? pipelines.create(body) : submission.create(body);
        return created.created() ? HttpResponse.created(created) : HttpResponse.ok(created);
    }

    /** A follow-up: continues the task's work branch (and pull request); waits for the task when it has not ended. */
    @Secured(Roles.ADMIN)
    @Post("/{id}/follow-ups")
    public HttpResponse<TaskCreated> followUp(@PathVariable String id, @Body FollowUpRequest body) {
        TaskCreated created = followUps.create(id, body);
        return created.created() ? HttpResponse.created(created) : HttpResponse.ok(created);
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get
    public TaskPage list(@Nullable @QueryValue String state, @Nullable @QueryValue String type,
                         @Nullable @QueryValue String repository, @Nullable @QueryValue String q,
                         @Nullable @QueryValue Integer page, @Nullable @QueryValue String cursor,
                         @QueryValue(defaultValue = "50") int size) {
        return tasks.search(state, type, repository, q, page, cursor, size);
    }

    /** Cancels a selection ({@code ids}) or everything a {@code filter} matches; {@code dry_run}: only count. */
    @Secured(Roles.ADMIN)
    @Post("/bulk/cancel")
    public BulkResult bulkCancel(@Body BulkRequest body) {
        return bulk.cancel(body);
    }

    /** Retries a selection ({@code ids}) or everything a {@code filter} matches; {@code dry_run}: only count. */
    @Secured(Roles.ADMIN)
    @Post("/bulk/retry")
    public BulkResult bulkRetry(@Body BulkRequest body) {
        return bulk.retry(body);
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get("/{id}")
    public TaskView get(@PathVariable String id) {
        return tasks.get(id);
    }

    @Secured(Roles.ADMIN)
    @Delete("/{id}")
    public TaskView cancel(@PathVariable String id) {
        return tasks.cancel(id);
    }

    @Secured(Roles.ADMIN)
    @Patch("/{id}")
    public TaskView patch(@PathVariable String id, @Body TaskPatch body) {
        return tasks.changePriority(id, body.priority());
    }

    /** An operator's reorder: {@code to} is top, up, down or bottom; the task stays in its queue level. */
    @Secured(Roles.ADMIN)
    @Post("/{id}/move")
    public QueuePlace move(@PathVariable String id, @Nullable @QueryValue String to) {
        return tasks.move(id, to);
    }

    @Secured(Roles.ADMIN)
    @Post("/{id}/retry")
    public TaskView retry(@PathVariable String id) {
        return tasks.retry(id);
    }
}
