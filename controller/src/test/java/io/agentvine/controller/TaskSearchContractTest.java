package io.agentvine.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.model.FailureReason;
import io.agentvine.model.Json;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.model.LifecycleEventType;
import io.agentvine.model.TaskType;
import io.agentvine.queue.FailResult;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The task list's search (q, filters, newest first, paging with a capped count) and the bulk cancel and
 * retry of a selection or a filter; run once on H2 and once on PostgreSQL (the subclasses).
 */
abstract class TaskSearchContractTest extends ApiContractFixture {

    @Test
    void q_finds_text_in_titles_in_any_case_and_task_ids_by_their_beginning_newest_first() {
        String marker = marker();
        String csv = create("docs", "Add CSV export " + marker);
        String login = create("bugfix", "Fix LOGIN bug " + marker);
        String percent = create("docs", "Reach 100% coverage_now " + marker);
        create("docs", "Reach 1000 coverage now " + marker);

        assertThat(ids(list("q=" + marker))).hasSize(4).first().as("newest first").isNotEqualTo(csv);
        assertThat(ids(list("q=" + marker))).last().isEqualTo(csv);
        assertThat(ids(list("q=csv+export+" + marker))).containsExactly(csv);
        assertThat(ids(list("q=login+BUG+" + marker))).containsExactly(login);
        // LIKE's wildcards in q are taken literally.
        assertThat(ids(list("q=" + enc("100% coverage_now " + marker)))).containsExactly(percent);
        assertThat(ids(list("q=" + enc("0% coverage")))).containsExactly(percent);
        // An id prefix, with or without the t- every id starts with, in any case.
        assertThat(ids(list("q=" + login.substring(0, 12)))).containsExactly(login);
        assertThat(ids(list("q=" + login.substring(2, 12).toUpperCase()))).containsExactly(login);
        // With the other filters: all must match.
        assertThat(ids(list("q=" + marker + "&type=docs"))).hasSize(3).doesNotContain(login);
        assertThat(ids(list("q=" + marker + "&type=bugfix&state=queued"))).containsExactly(login);
        assertThat(ids(list("q=" + marker + "&state=cancelled"))).isEmpty();
        assertThat(ids(list("q=" + marker + "&repository=" + enc("https://git.example.com/other/x.git")))).isEmpty();
        assertThat(ids(list("q=nothing-has-this-" + marker))).isEmpty();
    }

    @Test
    void pages_say_whether_more_follow_and_how_many_match() {
        String marker = marker();
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            made.add(create("refactor", "Paged " + i + " " + marker));
        }
        Map<String, Object> first = list("q=" + marker + "&size=2");
        assertThat(ids(first)).containsExactly(made.get(4), made.get(3));
        assertThat(first).containsEntry("page", 0).containsEntry("size", 2).containsEntry("has_next", true)
                .containsEntry("total", 5).containsEntry("total_exact", true);
        Map<String, Object> last = list("q=" + marker + "&size=2&page=2");
        assertThat(ids(last)).containsExactly(made.get(0));
        assertThat(last).containsEntry("has_next", false).containsEntry("total", 5).containsEntry("total_exact", true);
        Map<String, Object> beyond = list("q=" + marker + "&size=2&page=7");
        assertThat(ids(beyond)).isEmpty();
        assertThat(beyond).containsEntry("has_next", false).containsEntry("total", 5);

        HttpClientResponseException blank = failure(ADMIN, HttpRequest.GET("/api/v1/tasks?q=%20"));
        assertThat(blank.getStatus().getCode()).isEqualTo(400);
        assertThat(errorBody(blank)).containsEntry("field", "q");
        HttpClientResponseException tooLong = failure(ADMIN, HttpRequest.GET("/api/v1/tasks?q=" + "x".repeat(201)));
        assertThat(errorBody(tooLong)).containsEntry("field", "q");
    }

    @Test
    @SuppressWarnings("unchecked")
    void cursors_page_by_key_older_and_newer_and_a_cursor_that_is_not_ours_is_refused() {
        String marker = marker();
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            made.add(create("refactor", "Keyed " + i + " " + marker));
        }
        List<String> newestFirst = new ArrayList<>(made);
        java.util.Collections.reverse(newestFirst);
        Map<String, Object> first = list("q=" + marker + "&size=3");
        assertThat(ids(first)).isEqualTo(newestFirst.subList(0, 3));
        assertThat(first).containsKey("next_cursor").doesNotContainKey("prev_cursor");

        Map<String, Object> second = list("q=" + marker + "&size=3&cursor=" + first.get("next_cursor"));
        assertThat(ids(second)).isEqualTo(newestFirst.subList(3, 6));
        assertThat(second).containsEntry("page", 1).containsEntry("has_next", true).containsEntry("total", 7);
        // A task created meanwhile does not shift a page reached by key (it would shift page=2 by one).
        String newer = create("refactor", "Keyed late " + marker);
        Map<String, Object> third = list("q=" + marker + "&size=3&cursor=" + second.get("next_cursor"));
        assertThat(ids(third)).containsExactly(newestFirst.get(6));
        assertThat(third).containsEntry("has_next", false).doesNotContainKey("next_cursor");
        assertThat(ids(list("q=" + marker + "&size=3&page=2"))).containsExactly(newestFirst.get(5), newestFirst.get(6));

        // Back, newer: the page just before each, by key; the task created meanwhile makes one page more at the top,
        // and the last step back is the first page, full.
        Map<String, Object> back = list("q=" + marker + "&size=3&cursor=" + third.get("prev_cursor"));
        assertThat(ids(back)).isEqualTo(newestFirst.subList(3, 6));
        Map<String, Object> before = list("q=" + marker + "&size=3&cursor=" + back.get("prev_cursor"));
        assertThat(ids(before)).isEqualTo(newestFirst.subList(0, 3));
        assertThat(before).containsKey("prev_cursor").containsEntry("has_next", true);
        Map<String, Object> top = list("q=" + marker + "&size=3&cursor=" + before.get("prev_cursor"));
        assertThat(ids(top)).containsExactly(newer, newestFirst.get(0), newestFirst.get(1));
        assertThat(top).containsEntry("page", 0).containsEntry("total", 8).doesNotContainKey("prev_cursor");
        // With a filter, by key too; the page number still works, and next_cursor is handed out there as well.
        assertThat(ids(list("q=" + marker + "&size=3&page=1"))).containsExactly(newestFirst.get(2), newestFirst.get(3),
                newestFirst.get(4));
        assertThat(list("q=" + marker + "&size=3&page=1")).containsKey("next_cursor").containsKey("prev_cursor");

        for (String bad : List.of("nonsense", "bzEyMw", enc("o|x|2026-01-01T00:00:00Z|t-1"), "x".repeat(500))) {
            HttpClientResponseException e = failure(ADMIN, HttpRequest.GET("/api/v1/tasks?cursor=" + bad));
            assertThat(e.getStatus().getCode()).as(bad).isEqualTo(400);
            assertThat(errorBody(e)).as(bad).containsEntry("field", "cursor");
        }
        HttpClientResponseException both = failure(ADMIN, HttpRequest.GET("/api/v1/tasks?page=1&cursor=" + first.get("next_cursor")));
        assertThat(errorBody(both)).containsEntry("field", "cursor");
        assertThat(errorBody(both).get("message").toString()).contains("either page or cursor");
    }

    @Test
    void bulk_cancel_and_retry_by_filter_count_first_then_act_through_the_state_machine() {
        String marker = marker();
        List<String> made = IntStream.range(0, 3).mapToObj(i -> create("test", "Bulk " + i + " " + marker)).toList();
        Map<String, Object> filter = Map.of("q", marker, "type", "test");

        Map<String, Object> dry = bulk("cancel", Map.of("filter", filter, "dry_run", true));
        assertThat(dry).containsEntry("action", "cancel").containsEntry("dry_run", true).containsEntry("matched", 3)
                .containsEntry("eligible", 3).containsEntry("changed", 0);
        assertThat(states(made)).containsOnly("queued");
        assertThat(bulk("retry", Map.of("filter", filter, "dry_run", true))).containsEntry("matched", 3)
                .containsEntry("eligible", 0);

        Map<String, Object> cancelled = bulk("cancel", Map.of("filter", filter));
        assertThat(cancelled).containsEntry("dry_run", false).containsEntry("matched", 3).containsEntry("changed", 3)
                .containsEntry("cancel_requested", 0);
        assertThat((List<?>) cancelled.get("skipped")).isEmpty();
        assertThat(states(made)).containsOnly("cancelled");
        assertThat(queue.queuedIds(TaskType.TEST, io.agentvine.model.QueueLevel.DEFAULT, 0, 1000)).doesNotContainAnyElementsOf(made);

        Map<String, Object> again = bulk("cancel", Map.of("filter", filter));
        assertThat(again).containsEntry("changed", 0);
        assertThat(skipped(again)).hasSize(3).allSatisfy(s -> assertThat(s.get("reason").toString())
                .contains("already cancelled"));

        Map<String, Object> retried = bulk("retry", Map.of("filter", filter));
        assertThat(retried).containsEntry("changed", 3);
        assertThat(states(made)).containsOnly("queued");
        assertThat(queue.queuedIds(TaskType.TEST, io.agentvine.model.QueueLevel.DEFAULT, 0, 1000)).containsAll(made);
        assertThat(skipped(bulk("retry", Map.of("filter", filter)))).hasSize(3)
                .allSatisfy(s -> assertThat(s).containsEntry("state", "queued"))
                .allSatisfy(s -> assertThat(s.get("reason").toString()).contains("only failed, dead or cancelled"));
    }

    @Test
    void bulk_retry_of_a_selection_retries_the_failed_and_says_why_it_skipped_the_rest() {
        String marker = marker();
        String failed = create("feature", "Selected failing " + marker);
        String queued = create("feature", "Selected queued " + marker);
        fail(failed);

        Map<String, Object> dry = bulk("retry", Map.of("ids", List.of(failed, queued, "t-unknown", failed), "dry_run", true));
        assertThat(dry).containsEntry("matched", 3).containsEntry("eligible", 1);

        Map<String, Object> done = bulk("retry", Map.of("ids", List.of(failed, queued, "t-unknown")));
        assertThat(done).containsEntry("matched", 3).containsEntry("changed", 1);
        assertThat(skipped(done)).extracting(s -> s.get("id")).containsExactly(queued, "t-unknown");
        assertThat(skipped(done).get(1).get("reason").toString()).contains("no task with id t-unknown");
        assertThat(call(ADMIN, HttpRequest.GET("/api/v1/tasks/" + failed))).containsEntry("state", "queued");
        // The state machine has the last word: a retried task is not retried twice.
        assertThat(bulk("retry", Map.of("ids", List.of(failed)))).containsEntry("changed", 0);
    }

    @Test
    void bad_bulk_bodies_get_a_400_naming_the_field() {
        Map<String, Map<String, Object>> cases = new java.util.LinkedHashMap<>();
        cases.put("filter", Map.of("ids", List.of("t-1"), "filter", Map.of()));
        cases.put("ids", Map.of("dry_run", true));
        cases.put("ids ", Map.of("ids", List.of()));
        cases.put("ids  ", Map.of("ids", IntStream.range(0, 1001).mapToObj(i -> "t-" + i).toList()));
        cases.put("ids[1]", Map.of("ids", List.of("t-1", "a b")));
        cases.put("filter.state", Map.of("filter", Map.of("state", "sleeping")));
        cases.put("filter.type", Map.of("filter", Map.of("type", "painting")));
        cases.put("filter.q", Map.of("filter", Map.of("q", " ")));
        cases.put("filter.colour", Map.of("filter", Map.of("colour", "red")));
        cases.put("dry_run", Map.of("filter", Map.of(), "dry_run", "yes"));
        for (var c : cases.entrySet()) {
            HttpClientResponseException e = failure(ADMIN, HttpRequest.POST("/api/v1/tasks/bulk/cancel", c.getValue()));
            assertThat(e.getStatus().getCode()).as(c.getKey()).isEqualTo(400);
            assertThat(errorBody(e)).as(c.getKey()).containsEntry("field", c.getKey().strip());
        }
        // The bulk route is not taken for a task called "bulk".
        assertThat(failure(ADMIN, HttpRequest.POST("/api/v1/tasks/bulk/retry", "")).getStatus().getCode()).isEqualTo(400);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static String marker() {
        return "m" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    private String create(String type, String title) {
        Map<String, Object> t = new HashMap<>(task(type, "P2"));
        t.put("title", title);
        return (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", t)).get("id");
    }

    private Map<String, Object> list(String query) {
        return call(ADMIN, HttpRequest.GET("/api/v1/tasks?" + query));
    }

    @SuppressWarnings("unchecked")
    private static List<String> ids(Map<String, Object> page) {
        return ((List<Map<String, Object>>) page.get("content")).stream().map(t -> (String) t.get("id")).toList();
    }

    private List<String> states(List<String> ids) {
        return ids.stream().map(id -> (String) call(ADMIN, HttpRequest.GET("/api/v1/tasks/" + id)).get("state")).toList();
    }

    private Map<String, Object> bulk(String action, Map<String, Object> body) {
        return call(ADMIN, HttpRequest.POST("/api/v1/tasks/bulk/" + action, Json.write(body))
                .contentType("application/json"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> skipped(Map<String, Object> result) {
        return (List<Map<String, Object>>) result.get("skipped");
    }

    /** A worker claims the task, its tests fail, and it says so on the lifecycle stream. */
    private void fail(String id) {
        var claim = queue.claim(TaskType.FEATURE, "w-bulk").orElseThrow();
        assertThat(claim.id()).isEqualTo(id);
        var verdict = queue.fail(claim, "tests_failed", FailResult.Disposition.FAIL);
        lifecycle.publish(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.FAILED, id, "w-bulk",
                claim.attempt(), Instant.now()).outcome(FailureReason.TESTS_FAILED).queueOutcome(verdict.outcome()).build());
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> "failed".equals(call(ADMIN, HttpRequest.GET("/api/v1/tasks/" + id)).get("state")));
    }
}
