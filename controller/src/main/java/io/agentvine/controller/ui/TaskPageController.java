package io.agentvine.controller.ui;

import io.agentvine.controller.clarifications.AnswerRequest;
import io.agentvine.controller.clarifications.ClarificationService;
import io.agentvine.controller.domain.ConflictException;
import io.agentvine.controller.domain.InvalidInputException;
import io.agentvine.controller.security.Roles;
import io.agentvine.controller.tasks.TaskService;
import io.agentvine.controller.ui.model.Flash;
import io.agentvine.model.InvalidMessageException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Task page ({@code /ui/tasks/{id}}), its live panel (refreshed when the task changes) and the
 * admin's actions on it: cancel, retry, change priority, answer a clarification. An action the task's
 * state no longer allows (a stale page) answers 409 with the panel as it is now and the reason on top.
 */
@Controller("/ui/tasks")
@ExecuteOn(TaskExecutors.BLOCKING)
public class TaskPageController {
    private final UiContext ui;
    private final TaskDetailView detail;
    private final TaskService tasks;
    private final ClarificationService clarifications;

    public TaskPageController(UiContext ui, TaskDetailView detail, TaskService tasks, ClarificationService clarifications) {
        this.ui = ui;
        this.detail = detail;
        this.tasks = tasks;
        this.clarifications = clarifications;
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get(value = "/{id}", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> page(HttpRequest<?> request, @PathVariable String id) {
        var model = detail.build(id, UiContext.caller(request).isAdmin());
        return HttpResponse.ok().contentType(MediaType.TEXT_HTML_TYPE).body(UiContext.page("task", ui.layout(request, model.task().title(), "tasks"), model));
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get(value = "/{id}/panel", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> panel(HttpRequest<?> request, @PathVariable String id) {
        return panel(id, UiContext.caller(request).isAdmin(), null, HttpStatus.OK);
    }

    @Secured(Roles.ADMIN)
    @Post(value = "/{id}/cancel", consumes = {MediaType.APPLICATION_FORM_URLENCODED, MediaType.ALL}, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> cancel(@PathVariable String id) {
        return act(id, () -> {
            String state = tasks.cancel(id).state();
            return "cancelled".equals(state) ? "Cancelled." : "Cancel requested: the worker stops the run at its next lease extension.";
        });
    }

    @Secured(Roles.ADMIN)
    @Post(value = "/{id}/retry", consumes = {MediaType.APPLICATION_FORM_URLENCODED, MediaType.ALL}, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> retry(@PathVariable String id) {
        return act(id, () -> {
            tasks.retry(id);
            return "Queued again.";
        });
    }

    @Secured(Roles.ADMIN)
    @Post(value = "/{id}/priority", consumes = {MediaType.APPLICATION_FORM_URLENCODED, MediaType.ALL}, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> priority(@PathVariable String id, @Nullable @Body String body) {
        String priority = FormBody.parse(body).given("priority");
        return act(id, () -> "Priority is now " + tasks.changePriority(id, priority).priority() + ".");
    }

    @Secured(Roles.ADMIN)
    @Post(value = "/{id}/clarifications/{clarificationId}/answer", consumes = {MediaType.APPLICATION_FORM_URLENCODED, MediaType.ALL},
            produces = MediaType.TEXT_HTML)
    public HttpResponse<?> answer(HttpRequest<?> request, @PathVariable String id, @PathVariable String clarificationId,
                                  @Nullable @Body String body) {
        FormBody form = FormBody.parse(body);
        String by = UiContext.caller(request).keyName();
        return act(id, () -> {
            var answered = clarifications.answer(clarificationId, new AnswerRequest(form.given("answer"), form.given("decision"),
                    null), by);
            return "Sent to the worker: " + answered.status() + ".";
        });
    }

    /** Runs an action; the panel as it is afterwards, with what happened or why it was refused. */
    private HttpResponse<?> act(String id, Supplier<String> action) {
        try {
            return panel(id, true, Flash.success(action.get()), HttpStatus.OK);
        } catch (ConflictException e) {
            return panel(id, true, Flash.error(e.getMessage()), HttpStatus.CONFLICT);
        } catch (InvalidMessageException e) {
            return panel(id, true, Flash.error(e.getMessage()), HttpStatus.BAD_REQUEST);
        } catch (InvalidInputException e) {
            return panel(id, true, Flash.error(e.field() + ": " + e.getMessage()), HttpStatus.BAD_REQUEST);
        }
    }

    private HttpResponse<?> panel(String id, boolean admin, Flash flash, HttpStatus status) {
        Map<String, Object> params = new HashMap<>();
        params.put("page", detail.build(id, admin));
        params.put("flash", flash);
        return HttpResponse.status(status).contentType(MediaType.TEXT_HTML_TYPE).body(UiContext.fragment("task_panel", params));
    }
}
