package io.agentvine.controller.ui;

import io.agentvine.controller.domain.DomainException;
import io.agentvine.controller.security.Roles;
import io.agentvine.controller.tasks.TaskCreated;
import io.agentvine.controller.tasks.TaskRequest;
import io.agentvine.controller.tasks.TaskRequestRules;
import io.agentvine.controller.tasks.TaskSubmission;
import io.agentvine.controller.ui.model.NewTaskPage;
import io.agentvine.model.InvalidMessageException;
import io.agentvine.model.PermissionLevel;
import io.agentvine.model.Priority;
import io.agentvine.model.TaskType;
import io.agentvine.model.TaskTypes;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The New task form ({@code /ui/tasks/new}, admin): checked by the API's own rules
 * ({@link TaskRequestRules}, then {@link TaskSubmission}), so it refuses what the API refuses with the
 * API's message, shown next to the field it names, the input kept. Accepted: to the task's page.
 */
@Controller("/ui/tasks/new")
@ExecuteOn(TaskExecutors.BLOCKING)
public class NewTaskController {
    private final UiContext ui;
    private final TaskRequestRules rules;
    private final TaskSubmission submission;
    private final TaskTypes taskTypes;

    public NewTaskController(UiContext ui, TaskRequestRules rules, TaskSubmission submission, TaskTypes taskTypes) {
        this.ui = ui;
        this.rules = rules;
        this.submission = submission;
        this.taskTypes = taskTypes;
    }

    @Secured(Roles.ADMIN)
    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<?> form(HttpRequest<?> request) {
        return HttpResponse.ok().contentType(MediaType.TEXT_HTML_TYPE).body(UiContext.page("new_task", ui.layout(request, "New task", "new"),
                page(Map.of("priority", Priority.DEFAULT.name(), "permission_level", PermissionLevel.AUTONOMOUS.wireName()),
                        null, null)));
    }

    @Secured(Roles.ADMIN)
    @Post(consumes = {MediaType.APPLICATION_FORM_URLENCODED, MediaType.ALL}, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> create(@Nullable @Body String body) {
        FormBody form = FormBody.parse(body);
        Map<String, String> values = NewTaskForm.values(form);
        try {
            TaskRequest request = NewTaskForm.request(form);
            rules.check(request);
            TaskCreated created = submission.create(request);
            return HttpResponse.ok().header("HX-Redirect", "/ui/tasks/" + created.id());
        } catch (InvalidMessageException e) {
            String problem = e.getMessage().startsWith(e.field() + ": ") ? e.getMessage().substring(e.field().length() + 2)
                    : e.getMessage();
            return refused(values, e.field(), problem);
        } catch (DomainException e) {
            return refused(values, e.field(), e.getMessage());
        }
    }

    private HttpResponse<?> refused(Map<String, String> values, String field, String message) {
        return HttpResponse.status(HttpStatus.BAD_REQUEST).contentType(MediaType.TEXT_HTML_TYPE)
                .body(UiContext.fragment("new_task_form", Map.of("page", page(values, field, message))));
    }

    private NewTaskPage page(Map<String, String> values, String field, String message) {
        List<String> types = taskTypes.allowed().stream().map(TaskType::name).sorted().toList();
        return new NewTaskPage(values, field, message, types, Arrays.stream(Priority.values()).map(Priority::name).toList(),
                Arrays.stream(PermissionLevel.values()).map(PermissionLevel::wireName).toList());
    }
}
