package io.agentvine.controller.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.controller.TestProperties;
import io.agentvine.model.Json;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Tasks page, the Task page and the New task form as the server renders them (no browser): the
 * filters in the URL, paging, escaping, the bulk dialog, the API's messages next to the form's fields,
 * a stale action's 409 inline, and a viewer without buttons. On H2 with a real Redis.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskPagesRenderTest implements TestPropertyProvider {
    private static final String ADMIN = "admin-render-key";
    private static final String VIEWER = "viewer-render-key";
    private static final String REPO = "https://git.example.com/acme/shop.git";

    @Inject
    @Client("/")
    HttpClient http;

    @Override
    public Map<String, String> getProperties() {
        return TestProperties.onH2().adminKeys(ADMIN).with("agentvine.viewer-keys", VIEWER).noBackground().build();
    }

    @Test
    void the_list_keeps_its_filters_in_the_url_pages_newest_first_and_escapes_titles() {
        String marker = marker();
        for (int i = 0; i < 27; i++) {
            create("docs", "Paged " + i + " " + marker);
        }
        String evil = create("bugfix", "<script>alert('x')</script> " + marker);

        Document first = page("/ui/tasks?q=" + marker);
        assertThat(first.select("#f-q").val()).isEqualTo(marker);
        assertThat(first.select("#tasks-count").text()).startsWith("28 tasks").contains("showing 1–25");
        assertThat(rows(first)).hasSize(25);
        assertThat(rows(first).get(0).attr("data-task")).as("newest first").isEqualTo(evil);
        assertThat(first.select("main script")).as("a title is text, never markup").isEmpty();
        assertThat(rows(first).get(0).select(".task-link").text()).startsWith("<script>alert('x')</script>");
        Element next = first.selectFirst("#next-page");
        assertThat(next).isNotNull();
        assertThat(next.attr("href")).as("the older page by key, not by number").startsWith("/ui/tasks?q=" + marker + "&cursor=");
        assertThat(first.select("#prev-page")).isEmpty();

        Document second = page(next.attr("href"));
        assertThat(rows(second)).hasSize(3);
        assertThat(second.select("#tasks-count").text()).contains("showing 26–28");
        assertThat(second.select("#tasks-table").attr("data-rows-url")).as("the live refresh stays on this page")
                .isEqualTo("/ui/tasks/rows" + next.attr("href").substring("/ui/tasks".length()));
        assertThat(second.select("#tasks-table").attr("data-first-page")).isEqualTo("false");
        assertThat(second.select("#next-page")).isEmpty();
        Document back = page(second.select("#prev-page").attr("href"));
        assertThat(rows(back).stream().map(r -> r.attr("data-task")).toList()).as("newer: the first page again")
                .isEqualTo(rows(first).stream().map(r -> r.attr("data-task")).toList());
        assertThat(back.select("#prev-page")).isEmpty();
        Document bookmarked = page("/ui/tasks?q=" + marker + "&page=1");
        assertThat(rows(bookmarked).stream().map(r -> r.attr("data-task")).toList()).as("an old bookmark's page number")
                .isEqualTo(rows(second).stream().map(r -> r.attr("data-task")).toList());
        Document garbled = page("/ui/tasks?q=" + marker + "&cursor=not-a-cursor");
        assertThat(garbled.select("#filter-error").text()).contains("cursor");

        Document docs = page("/ui/tasks?q=" + marker + "&type=docs&state=queued");
        assertThat(rows(docs)).hasSize(25).allSatisfy(r -> assertThat(r.attr("data-state")).isEqualTo("queued"));
        assertThat(docs.select("#f-type option[selected]").val()).isEqualTo("docs");
        assertThat(docs.select("#f-state option[selected]").val()).isEqualTo("queued");
        assertThat(docs.select("#task-filters").attr("method")).isEqualTo("get");
        assertThat(docs.select("#tasks-table").attr("data-rows-url")).isEqualTo("/ui/tasks/rows?q=" + marker + "&state=queued&type=docs");

        Document none = page("/ui/tasks?q=nothing-" + marker);
        assertThat(rows(none)).isEmpty();
        assertThat(none.select("#no-tasks").text()).contains("No task matches");
    }

    @Test
    void a_refused_filter_is_shown_next_to_the_filters_not_as_an_error_page() {
        Document bad = page("/ui/tasks?state=sleeping");
        assertThat(bad.select("#filter-error").text()).contains("state").contains("sleeping");
        assertThat(bad.select("#f-state").attr("aria-invalid")).isEqualTo("true");
        assertThat(rows(bad)).isEmpty();
    }

    @Test
    void the_bulk_dialog_counts_first_then_acts_and_says_what_it_skipped() {
        String marker = marker();
        String a = create("refactor", "Bulk A " + marker);
        String b = create("refactor", "Bulk B " + marker);
        post("/ui/tasks/" + b + "/cancel", "");

        Document dry = fragment(post("/ui/tasks/bulk/cancel", "ids=" + a + "&ids=" + b + "&f_q=" + marker));
        assertThat(dry.select("#bulk-count").text()).contains("2 task(s) selected").contains("1 can be cancelled")
                .contains("1 will be skipped");
        assertThat(dry.select("input[name=ids]").eachAttr("value")).containsExactly(a, b);
        assertThat(dry.select("#bulk-confirm-button").text()).isEqualTo("Cancel 1 task(s)");
        assertThat(state(a)).as("a dry run changes nothing").isEqualTo("queued");

        Document done = fragment(post("/ui/tasks/bulk/cancel", "confirm=true&ids=" + a + "&ids=" + b));
        assertThat(done.select("#bulk-result").text()).contains("Cancelled 1 of 2");
        assertThat(done.select("#bulk-skipped li").text()).contains(b).contains("already cancelled");
        assertThat(state(a)).isEqualTo("cancelled");

        Document byFilter = fragment(post("/ui/tasks/bulk/retry", "scope=filter&f_q=" + marker + "&f_state=cancelled"));
        assertThat(byFilter.select("#bulk-count").text()).contains("2 task(s) match the filter").contains("2 can be retried");
        assertThat(byFilter.select("input[name=f_state]").val()).isEqualTo("cancelled");
        Document retried = fragment(post("/ui/tasks/bulk/retry", "confirm=true&scope=filter&f_q=" + marker + "&f_state=cancelled"));
        assertThat(retried.select("#bulk-result").text()).contains("Retried 2 of 2");
        assertThat(state(a)).isEqualTo("queued");

        Document nothing = fragment(post("/ui/tasks/bulk/retry", "f_q=" + marker));
        assertThat(nothing.select("#bulk-error").text()).contains("select tasks first");
    }

    @Test
    void the_task_page_shows_the_task_and_a_stale_action_gets_the_409_reason_inline() {
        String id = create("test", "Render <b>me</b>");
        Document page = page("/ui/tasks/" + id);
        assertThat(page.select("#task-title").text()).isEqualTo("Render <b>me</b>");
        assertThat(page.select("#task-state-badge").text()).isEqualTo("queued");
        assertThat(page.select("#routing-reason").text()).isNotBlank();
        assertThat(page.select("#live-log").attr("data-task")).isEqualTo(id);
        assertThat(page.select("#cancel-task")).hasSize(1);
        assertThat(page.select("#change-priority")).hasSize(1);
        assertThat(page.select("#attempts").text()).contains("No attempt yet");

        Document priority = fragment(post("/ui/tasks/" + id + "/priority", "priority=P0"));
        assertThat(priority.select("#task-priority").text()).startsWith("P0");
        assertThat(priority.select("#flash .flash-success").text()).contains("Priority is now P0");

        Document cancelled = fragment(post("/ui/tasks/" + id + "/cancel", ""));
        assertThat(cancelled.select("#task-state-badge").text()).isEqualTo("cancelled");
        assertThat(cancelled.select("#retry-task")).hasSize(1);
        assertThat(cancelled.select("#cancel-task")).isEmpty();

        HttpClientResponseException stale = refused(HttpRequest.POST("/ui/tasks/" + id + "/cancel", "")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED));
        assertThat(stale.getStatus().getCode()).isEqualTo(409);
        Document inline = Jsoup.parseBodyFragment(stale.getResponse().getBody(String.class).orElseThrow());
        assertThat(inline.select("#flash .flash-error").text()).contains("is cancelled; there is nothing to cancel");
        assertThat(inline.select("#task-state-badge").text()).isEqualTo("cancelled");

        assertThat(refused(HttpRequest.GET("/ui/tasks/t-unknown").accept(MediaType.TEXT_HTML)).getStatus().getCode()).isEqualTo(404);
    }

    @Test
    void the_task_page_lists_its_chain_and_what_it_waits_for() {
        String parent = create("feature", "Cart");
        Map<String, Object> followUp = Json.read(http.toBlocking().retrieve(HttpRequest.POST("/api/v1/tasks/" + parent
                + "/follow-ups", Map.of("instructions", "Also the <empty> cart.")).bearerAuth(ADMIN), String.class), Map.class);
        String child = (String) followUp.get("id");
        Document page = page("/ui/tasks/" + child);
        assertThat(page.select("#task-state-badge").text()).isEqualTo("waiting");
        assertThat(page.select("#chain a.chip").attr("href")).isEqualTo("/ui/tasks/" + parent);
        assertThat(page.select("#chain tr[data-chain-task]").eachAttr("data-chain-task")).containsExactly(parent, child);
        assertThat(page.select("#chain tr.current").attr("data-chain-task")).isEqualTo(child);
        assertThat(page.select("#chain tr[data-chain-task=" + child + "]").text()).contains("Follow-up: Cart").contains(parent);
    }

    @Test
    void the_new_task_form_refuses_what_the_api_refuses_with_its_message_next_to_the_field_and_keeps_the_input() {
        Document form = page("/ui/tasks/new");
        assertThat(form.select("#new-task-form select[name=type] option")).extracting(Element::val).contains("feature", "docs");
        assertThat(form.select("#priority option[selected]").val()).isEqualTo("P2");

        Map<String, String> bad = Map.of("repository_url", "ftp://example.com/x.git", "budget.max_turns", "-1",
                "budget.timeout_seconds", "soon", "branch", "HEAD", "title", " ");
        for (var c : bad.entrySet()) {
            Map<String, String> fields = new HashMap<>(Map.of("type", "feature", "repository_url", REPO, "title",
                    "Keep <this> title", "instructions", "Line one\nline two", "priority", "P1", "permission_level", "autonomous"));
            fields.put(c.getKey(), c.getValue());
            HttpClientResponseException e = refused(HttpRequest.POST("/ui/tasks/new", form(fields))
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED));
            assertThat(e.getStatus().getCode()).as(c.getKey()).isEqualTo(400);
            Document again = Jsoup.parseBodyFragment(e.getResponse().getBody(String.class).orElseThrow());
            Element error = again.getElementById(c.getKey() + "-error");
            assertThat(error).as(c.getKey() + " has its message next to it").isNotNull();
            assertThat(again.getElementById(c.getKey()).attr("aria-invalid")).isEqualTo("true");
            assertThat(again.select(".field-error")).as("one message").hasSize(1);
            if (!c.getKey().equals("budget.timeout_seconds")) {
                assertThat(error.text()).as("the API's message").isEqualTo(apiMessage(fields, c.getKey()));
            } else {
                assertThat(error.text()).contains("whole number");
            }
            assertThat(again.getElementById("instructions").text()).isEqualTo("Line one\nline two");
            assertThat(again.select("#priority option[selected]").val()).isEqualTo("P1");
            if (!c.getKey().equals("title")) {
                assertThat(again.getElementById("title").val()).isEqualTo("Keep <this> title");
            }
        }

        HttpResponse<String> ok = http.toBlocking().exchange(HttpRequest.POST("/ui/tasks/new", form(Map.of("type", "docs",
                "repository_url", REPO, "title", "From the form", "budget.max_turns", "7"))).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bearerAuth(ADMIN), String.class);
        String location = ok.getHeaders().get("HX-Redirect");
        assertThat(location).startsWith("/ui/tasks/t-");
        Map<String, Object> created = api(HttpRequest.GET("/api/v1/tasks/" + location.substring("/ui/tasks/".length())));
        assertThat(created).containsEntry("title", "From the form").containsEntry("type", "docs").containsEntry("priority", "P2");
    }

    @Test
    void a_viewer_sees_the_pages_without_buttons_and_cannot_act() {
        String id = create("docs", "Viewer " + marker());
        Document list = Jsoup.parse(get("/ui/tasks", VIEWER));
        assertThat(list.select("#bulk-bar")).isEmpty();
        assertThat(list.select("input[name=ids]")).isEmpty();
        assertThat(list.select("nav a[href=/ui/tasks/new]")).isEmpty();
        Document task = Jsoup.parse(get("/ui/tasks/" + id, VIEWER));
        assertThat(task.select("#task-actions")).isEmpty();
        for (String path : List.of("/ui/tasks/" + id + "/cancel", "/ui/tasks/bulk/cancel", "/ui/tasks/new")) {
            HttpClientResponseException e = refused(HttpRequest.POST(path, "ids=" + id)
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED).bearerAuth(VIEWER));
            assertThat(e.getStatus().getCode()).as(path).isEqualTo(403);
        }
        assertThat(refused(HttpRequest.GET("/ui/tasks/new").accept(MediaType.TEXT_HTML).bearerAuth(VIEWER)).getStatus().getCode())
                .isEqualTo(403);
        assertThat(state(id)).isEqualTo("queued");
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static String marker() {
        return "r" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private String create(String type, String title) {
        return (String) api(HttpRequest.POST("/api/v1/tasks", Map.of("type", type, "repository_url", REPO, "title", title)))
                .get("id");
    }

    private String state(String id) {
        return (String) api(HttpRequest.GET("/api/v1/tasks/" + id)).get("state");
    }

    private Map<String, Object> api(MutableHttpRequest<?> r) {
        return Json.read(http.toBlocking().retrieve(r.bearerAuth(ADMIN), String.class), Map.class);
    }

    /** The message the API answers for these fields (as JSON; a blank one left out, as the form does), without "field: ". */
    private String apiMessage(Map<String, String> fields, String field) {
        Map<String, Object> body = new HashMap<>();
        Map<String, Object> budget = new HashMap<>();
        fields.forEach((k, v) -> {
            if (v.isBlank()) {
                return;
            }
            if (k.startsWith("budget.")) {
                budget.put(k.substring(7), Integer.valueOf(v));
            } else {
                body.put(k, v);
            }
        });
        if (!budget.isEmpty()) {
            body.put("budget", budget);
        }
        HttpClientResponseException e = refused(HttpRequest.POST("/api/v1/tasks", body).bearerAuth(ADMIN));
        Map<String, Object> error = Json.read(e.getResponse().getBody(String.class).orElseThrow(), Map.class);
        assertThat(error).containsEntry("field", field);
        String message = (String) error.get("message");
        return message.startsWith(field + ": ") ? message.substring(field.length() + 2) : message;
    }

    private String get(String path, String key) {
        return http.toBlocking().retrieve(HttpRequest.GET(path).accept(MediaType.TEXT_HTML).bearerAuth(key), String.class);
    }

    private Document page(String path) {
        return Jsoup.parse(get(path, ADMIN));
    }

    private String post(String path, String body) {
        return http.toBlocking().retrieve(HttpRequest.POST(path, body).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bearerAuth(ADMIN), String.class);
    }

    private static Document fragment(String html) {
        return Jsoup.parseBodyFragment(html);
    }

    private static List<Element> rows(Document d) {
        return d.select("#task-rows tr");
    }

    private HttpClientResponseException refused(MutableHttpRequest<?> r) {
        try {
            if (!r.getHeaders().contains("Authorization")) {
                r.bearerAuth(ADMIN);
            }
            http.toBlocking().exchange(r, String.class);
        } catch (HttpClientResponseException e) {
            return e;
        }
        throw new AssertionError("expected an error status for " + r.getMethod() + " " + r.getPath());
    }

    private static String form(Map<String, String> fields) {
        StringBuilder s = new StringBuilder();
        fields.forEach((k, v) -> s.append(s.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return s.toString();
    }
}
