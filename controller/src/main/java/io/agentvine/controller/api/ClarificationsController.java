package io.agentvine.controller.api;

import io.agentvine.controller.clarifications.AnswerRequest;
import io.agentvine.controller.clarifications.ClarificationService;
import io.agentvine.controller.clarifications.ClarificationView;
import io.agentvine.controller.security.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import java.util.List;

/**
 * Questions and approvals from running agents. Operators list the pending ones (with each task's
 * title and repository) and answer; a decision is final (a second answer gets 409), and a request
 * whose worker went away is orphaned (409 with why).
 */
@Controller("/api/v1/clarifications")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ClarificationsController {
    private final ClarificationService clarifications;

    public ClarificationsController(ClarificationService clarifications) {
        this.clarifications = clarifications;
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get
    public List<ClarificationView> list(@Nullable @QueryValue String status, @Nullable @QueryValue("task_id") String taskId) {
        return clarifications.list(status, taskId);
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get("/{id}")
    public ClarificationView get(@PathVariable String id) {
        return clarifications.get(id);
    }

    @Secured(Roles.ADMIN)
    @Post("/{id}/answer")
    public ClarificationView answer(HttpRequest<?> request, @PathVariable String id, @Body AnswerRequest body) {
        return clarifications.answer(id, body, Callers.of(request).keyName());
    }
}
