package io.agentvine.controller.ui;

import io.agentvine.controller.domain.InvalidInputException;
import io.agentvine.controller.tasks.TaskPage;
import io.agentvine.controller.tasks.TaskService;
import io.agentvine.controller.tasks.TaskView;
import io.agentvine.controller.ui.model.TaskRowView;
import io.agentvine.controller.ui.model.TasksPage;
import io.agentvine.controller.ui.model.TasksPage.Filters;
import io.agentvine.model.InvalidMessageException;
import io.agentvine.model.TaskType;
import io.agentvine.model.TaskTypes;
import io.agentvine.model.WorkOrderState;
import jakarta.inject.Singleton;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the Tasks page from the task search (the API's {@link TaskService#search}): the filters come
 * from the URL, an empty one means "not set", a refused one is shown next to its field with an empty list.
 */
@Singleton
public class TaskListView {
    public static final int PAGE_SIZE = 25;

    private final TaskService tasks;
    private final TaskTypes taskTypes;
    private final Clock clock;

    public TaskListView(TaskService tasks, TaskTypes taskTypes, Clock clock) {
        this.tasks = tasks;
        this.taskTypes = taskTypes;
        this.clock = clock;
    }

    /** The filters of a request: blank values are "not set"; values are trimmed. */
    public static Filters filters(String state, String type, String repository, String q) {
        return new Filters(blankToNull(state), blankToNull(type), blankToNull(repository), blankToNull(q));
    }

    /**
     * The page at {@code cursor} (a link of this page: older or newer than a row), else at {@code page} (a bookmark
     * from before cursors); the links to the neighbouring pages carry cursors.
     */
    public TasksPage build(Filters f, int page, String cursor, boolean admin) {
        int p = Math.min(Math.max(0, page), 1_000_000);
        String at = cursor == null || cursor.isBlank() ? null : cursor.strip();
        List<String> states = Arrays.stream(WorkOrderState.values()).map(WorkOrderState::wireName).toList();
        List<String> types = taskTypes.allowed().stream().map(TaskType::name).sorted().toList();
        try {
            TaskPage result = tasks.search(f.state(), f.type(), f.repository(), f.q(), at == null ? p : null, at, PAGE_SIZE);
            Instant now = clock.instant();
            List<TaskRowView> rows = new ArrayList<>();
            for (TaskView t : result.content()) {
                rows.add(row(t, now));
            }
            String prev = result.prevCursor() != null ? url(f, result.prevCursor()) : result.page() > 0 ? url(f, null) : null;
            return new TasksPage(f, rows, result.page(), PAGE_SIZE, result.total(), result.totalExact(), result.hasNext(),
                    prev, result.nextCursor() != null ? url(f, result.nextCursor()) : null, rowsUrl(f, at, p), states, types,
                    admin, null, null);
        } catch (InvalidMessageException e) {
            return refused(f, p, at, states, types, admin, e.field(), e.getMessage());
        } catch (InvalidInputException e) {
            return refused(f, p, at, states, types, admin, e.field(), e.getMessage());
        }
    }

    private static TasksPage refused(Filters f, int p, String cursor, List<String> states, List<String> types, boolean admin,
                                     String field, String message) {
        return new TasksPage(f, List.of(), p, PAGE_SIZE, 0, true, false, null, null, rowsUrl(f, cursor, p), states, types, admin,
                field, message);
    }

    public TaskRowView row(TaskView t, Instant now) {
        return new TaskRowView(t.id(), t.title(), t.type(), t.state(), t.priority(), t.repositoryUrl(), t.attempts(),
                t.workerId(), Formats.ago(t.createdAt(), now), t.createdAt().toString(), Formats.ago(t.updatedAt(), now));
    }

    public Instant now() {
        return clock.instant();
    }

    /** The Tasks page with these filters at {@code cursor} (null: the first page): the bookmarkable URL. */
    public static String url(Filters f, String cursor) {
        return "/ui/tasks" + query(f, "cursor", cursor);
    }

    /** The rows of the page at {@code cursor}, or at {@code page} when the page was asked for by number. */
    static String rowsUrl(Filters f, String cursor, int page) {
        return "/ui/tasks/rows" + (cursor != null ? query(f, "cursor", cursor) : query(f, "page", page > 0 ? Integer.toString(page) : null));
    }

    private static String query(Filters f, String placeName, String place) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("q", f.q());
        params.put("state", f.state());
        params.put("type", f.type());
        params.put("repository", f.repository());
        params.put(placeName, place);
        StringBuilder s = new StringBuilder();
        params.forEach((k, v) -> {
            if (v != null) {
                s.append(s.length() == 0 ? '?' : '&').append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        return s.toString();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
