package io.agentvine.controller.ui;

import io.agentvine.controller.history.EventLog;
import io.agentvine.controller.security.Roles;
import io.agentvine.controller.tasks.QueuePlace;
import io.agentvine.controller.tasks.QueueView;
import io.agentvine.controller.tasks.QueueViews;
import io.agentvine.controller.tasks.TaskService;
import io.agentvine.controller.tasks.TaskView;
import io.agentvine.controller.ui.model.Flash;
import io.agentvine.controller.ui.model.QueuePage;
import io.agentvine.controller.ui.model.QueuePage.TypeTab;
import io.agentvine.model.Priority;
import io.agentvine.model.TaskType;
import io.agentvine.model.TaskTypes;
import io.agentvine.queue.WorkQueue;
import io.swagger.v3.oas.annotations.Hidden;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The Queue page ({@code /ui/queue?type=<type>}): per type the waiting orders in run order with remove,
 * move (top, up, down), change of priority, pause/resume of the type; the delayed and the dead-lettered
 * orders. Its lists are one fragment ({@code /ui/queue/lists}) refreshed on queue events and returned by
 * every action. A stale action (the order was claimed meanwhile) answers the service's 409 message.
 */
@Hidden // a dashboard page, not part of the API (its OpenAPI document)
@Controller("/ui/queue")
@ExecuteOn(TaskExecutors.BLOCKING)
public class QueuePageController {
    private static final int LIMIT = 100;

    private final UiContext ui;
    private final QueueViews queues;
    private final TaskService tasks;
    private final TaskTypes taskTypes;
    private final WorkQueue queue;
    private final EventLog events;

    public QueuePageController(UiContext ui, QueueViews queues, TaskService tasks, TaskTypes taskTypes, WorkQueue queue,
                               EventLog events) {
        this.ui = ui;
        this.queues = queues;
        this.tasks = tasks;
        this.taskTypes = taskTypes;
        this.queue = queue;
        this.events = events;
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<?> page(HttpRequest<?> request, @Nullable @QueryValue String type) {
        return HttpResponse.ok(UiContext.page("queue", ui.layout(request, "Queue", "queue"),
                build(type, UiContext.caller(request).isAdmin())));
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get(value = "/lists", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> lists(HttpRequest<?> request, @Nullable @QueryValue String type) {
        return lists(type, UiContext.caller(request).isAdmin(), null);
    }

    @Secured(Roles.ADMIN)
    @Post(value = "/tasks/{id}/move", consumes = {MediaType.APPLICATION_FORM_URLENCODED, MediaType.ALL}, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> move(@PathVariable String id, @QueryValue String to, @Nullable @QueryValue String type) {
        QueuePlace p = tasks.move(id, to);
        return lists(type, true, Flash.success("Moved " + id + " " + to + ": now " + (p.position() + 1) + " of " + p.length()
                + " in " + p.queue() + "."));
    }

    @Secured(Roles.ADMIN)
    @Post(value = "/tasks/{id}/cancel", consumes = {MediaType.APPLICATION_FORM_URLENCODED, MediaType.ALL}, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> cancel(@PathVariable String id, @Nullable @QueryValue String type) {
        TaskView t = tasks.cancel(id);
        return lists(type, true, Flash.success("Removed " + id + " from the queue (" + t.state() + ")."));
    }

    @Secured(Roles.ADMIN)
    @Post(value = "/tasks/{id}/priority", consumes = {MediaType.APPLICATION_FORM_URLENCODED, MediaType.ALL}, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> priority(@PathVariable String id, @Nullable @Body("priority") String priority,
                                    @Nullable @QueryValue String type) {
        TaskView t = tasks.changePriority(id, priority);
        return lists(type, true, Flash.success("Priority of " + id + " is now " + t.priority() + " (" + t.queue() + ")."));
    }

    @Secured(Roles.ADMIN)
    @Post(value = "/{type}/pause", consumes = {MediaType.APPLICATION_FORM_URLENCODED, MediaType.ALL}, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> pause(@PathVariable String type, @Nullable @QueryValue("type") String shown) {
        TaskType t = taskTypes.require(type);
        queue.pause(t);
        events.append("queue_updated", null, null, Map.of("type", t.name(), "paused", true));
        return lists(shown, true, Flash.success("Paused the " + t.name() + " queue: its orders wait until it is resumed."));
    }

    @Secured(Roles.ADMIN)
    @Post(value = "/{type}/resume", consumes = {MediaType.APPLICATION_FORM_URLENCODED, MediaType.ALL}, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> resume(@PathVariable String type, @Nullable @QueryValue("type") String shown) {
        TaskType t = taskTypes.require(type);
        queue.resume(t);
        events.append("queue_updated", null, null, Map.of("type", t.name(), "paused", false));
        return lists(shown, true, Flash.success("Resumed the " + t.name() + " queue."));
    }

    private HttpResponse<?> lists(String type, boolean admin, Flash flash) {
        Map<String, Object> params = Map.of("page", build(type, admin));
        return flash == null ? HttpResponse.ok(UiContext.fragment("queue_lists", params))
                : UiContext.withFlash("queue_lists", params, flash);
    }

    private QueuePage build(String type, boolean admin) {
        List<TaskType> all = taskTypes.allowed().stream().sorted(Comparator.comparing(TaskType::name)).toList();
        String shown = type == null || type.isBlank() ? null : taskTypes.require(type).name();
        List<QueueView> views = all.stream().map(t -> queues.of(t.name(), 0, LIMIT)).toList();
        List<TypeTab> tabs = views.stream().map(v -> new TypeTab(v.type(), v.waiting().total(), v.paused(), v.budgetPaused())).toList();
        List<QueueView> visible = views.stream()
                .filter(v -> shown != null ? v.type().equals(shown)
                        : v.waiting().total() + v.delayed().total() + v.dead().total() + v.inFlight() > 0 || v.paused() || v.budgetPaused())
                .toList();
        return new QueuePage(tabs, shown, visible, admin, Arrays.stream(Priority.values()).map(Priority::name).toList());
    }
}
