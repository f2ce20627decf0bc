package io.agentvine.controller.ui;

import io.agentvine.controller.domain.DomainException;
import io.agentvine.controller.security.Roles;
import io.agentvine.controller.tasks.BulkRequest;
import io.agentvine.controller.tasks.BulkResult;
import io.agentvine.controller.tasks.TaskBulkActions;
import io.agentvine.controller.tasks.TaskService;
import io.agentvine.controller.ui.model.BulkPreview;
import io.agentvine.controller.ui.model.TasksPage;
import io.agentvine.controller.ui.model.TasksPage.Filters;
import io.agentvine.model.InvalidMessageException;
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
import java.util.List;
import java.util.Map;

/**
 * The Tasks page ({@code /ui/tasks}: search, filters and place — {@code cursor}, or an old bookmark's {@code page} — in
 * the URL), its live parts (the rows,
 * one row) and the bulk cancel / retry dialog: first the count (a dry run), then the result. The bulk
 * actions go through the API's {@link TaskBulkActions}, task by task through the state machine.
 */
@Controller("/ui/tasks")
@ExecuteOn(TaskExecutors.BLOCKING)
public class TaskListController {
    private final UiContext ui;
    private final TaskListView list;
    private final TaskService tasks;
    private final TaskBulkActions bulk;

    public TaskListController(UiContext ui, TaskListView list, TaskService tasks, TaskBulkActions bulk) {
        this.ui = ui;
        this.list = list;
        this.tasks = tasks;
        this.bulk = bulk;
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<?> page(HttpRequest<?> request, @Nullable @QueryValue String q, @Nullable @QueryValue String state,
                                @Nullable @QueryValue String type, @Nullable @QueryValue String repository,
                                @Nullable @QueryValue Integer page, @Nullable @QueryValue String cursor) {
        TasksPage model = list.build(TaskListView.filters(state, type, repository, q), page == null ? 0 : page, cursor,
                UiContext.caller(request).isAdmin());
        return HttpResponse.ok().contentType(MediaType.TEXT_HTML_TYPE).body(UiContext.page("tasks", ui.layout(request, "Tasks", "tasks"), model));
    }

    /** The table's rows (the page refreshes them when tasks are added). */
    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get(value = "/rows", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> rows(HttpRequest<?> request, @Nullable @QueryValue String q, @Nullable @QueryValue String state,
                                @Nullable @QueryValue String type, @Nullable @QueryValue String repository,
                                @Nullable @QueryValue Integer page, @Nullable @QueryValue String cursor) {
        TasksPage model = list.build(TaskListView.filters(state, type, repository, q), page == null ? 0 : page, cursor,
                UiContext.caller(request).isAdmin());
        return HttpResponse.ok().contentType(MediaType.TEXT_HTML_TYPE).body(UiContext.fragment("task_rows", Map.of("page", model)));
    }

    /** One row, as it is now (the page replaces a row when its task changes). */
    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get(value = "/{id}/row", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> row(HttpRequest<?> request, @PathVariable String id) {
        return HttpResponse.ok().contentType(MediaType.TEXT_HTML_TYPE).body(UiContext.fragment("task_row", Map.of("row", list.row(tasks.get(id), list.now()),
                "admin", UiContext.caller(request).isAdmin())));
    }

    /**
     * The bulk dialog: {@code action} is cancel or retry; the form holds the checked {@code ids} or
     * {@code scope=filter} with the list's filters ({@code f_q}, {@code f_state}, {@code f_type},
     * {@code f_repository}); without {@code confirm} a dry run (the count), with it the action.
     */
    @Secured(Roles.ADMIN)
    @Post(value = "/bulk/cancel", consumes = {MediaType.APPLICATION_FORM_URLENCODED, MediaType.ALL}, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> bulkCancel(@Nullable @Body String body) {
        return bulk("cancel", body);
    }

    /** As {@link #bulkCancel}, retrying. (Literal routes: /ui/tasks/{id}/retry must not take them.) */
    @Secured(Roles.ADMIN)
    @Post(value = "/bulk/retry", consumes = {MediaType.APPLICATION_FORM_URLENCODED, MediaType.ALL}, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> bulkRetry(@Nullable @Body String body) {
        return bulk("retry", body);
    }

    private HttpResponse<?> bulk(String action, String body) {
        FormBody form = FormBody.parse(body);
        boolean byFilter = "filter".equals(form.get("scope"));
        List<String> ids = byFilter ? List.of() : form.all("ids");
        Filters filter = TaskListView.filters(form.get("f_state"), form.get("f_type"), form.get("f_repository"), form.get("f_q"));
        boolean confirm = "true".equals(form.get("confirm"));
        BulkPreview preview;
        try {
            if (!byFilter && ids.isEmpty()) {
                throw new InvalidMessageException("ids", "select tasks first (the boxes in the list), or all that match the filter");
            }
            BulkRequest request = new BulkRequest(byFilter ? null : ids,
                    byFilter ? new BulkRequest.Filter(filter.state(), filter.type(), filter.repository(), filter.q()) : null,
                    !confirm);
            BulkResult r = "cancel".equals(action) ? bulk.cancel(request) : bulk.retry(request);
            preview = new BulkPreview(action, byFilter, ids, filter, r.matched(), r.eligible(), confirm, r.changed(),
                    r.cancelRequested(), r.skipped().stream().map(s -> new BulkPreview.Skipped(s.id(), s.reason())).toList(), null);
        } catch (InvalidMessageException e) {
            preview = failed(action, byFilter, ids, filter, e.getMessage());
        } catch (DomainException e) {
            preview = failed(action, byFilter, ids, filter, e.getMessage());
        }
        return HttpResponse.ok().contentType(MediaType.TEXT_HTML_TYPE).body(UiContext.fragment("bulk_dialog", Map.of("bulk", preview)));
    }

    private static BulkPreview failed(String action, boolean byFilter, List<String> ids, Filters filter, String message) {
        return new BulkPreview(action, byFilter, ids, filter, 0, 0, false, 0, 0, List.of(), message);
    }
}
