package io.agentvine.controller;

import static io.agentvine.controller.TestHttp.enc;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.controller.TestHttp.Reply;
import io.agentvine.model.Json;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Strict input at the API, against the real controller (real Redis, H2 or PostgreSQL): each refusal is
 * a 400 whose JSON names the field. The raw JDK client sends exactly the bytes, headers and encoded
 * paths given. Run once per database (the subclasses).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StrictInputApiTest implements TestPropertyProvider {
    static final String ADMIN = "admin-strict-1";
    static final String WORKER_KEY = "worker-strict-1";
    static final int TITLE_LIMIT = 120;
    static final int METADATA_BYTES = 2048;
    static final int METADATA_DEPTH = 4;

    @Inject
    EmbeddedServer server;

    final TestHttp http = new TestHttp(() -> server.getURL().toString());
    String workerId;

    protected abstract Map<String, String> database();

    @Override
    public Map<String, String> getProperties() {
        return TestProperties.on(database()).adminKeys(ADMIN).workerKeys("strict-pool:" + WORKER_KEY + ":feature|bugfix")
                .with("agentvine.allowed-git-hosts", "10.9.0.0/16, git.internal.test, 127.0.0.1/32")
                .with("agentvine.max-title-length", Integer.toString(TITLE_LIMIT))
                .with("agentvine.max-metadata-bytes", Integer.toString(METADATA_BYTES))
                .with("agentvine.max-metadata-depth", Integer.toString(METADATA_DEPTH)).build();
    }

    @BeforeAll
    void registerWorker() {
        Reply r = send("POST", "/api/v1/workers", WORKER_KEY, json(registration()));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        workerId = (String) r.json().get("worker_id");
    }

    // ---- requests -----------------------------------------------------------------------------

    Reply send(String method, String path, String key, byte[] body) {
        return send(method, path, key, body, TestHttp.JSON);
    }

    /**
     * Sends once more when the connection was closed before any answer: after refusing a body too large
     * to read, the server closes the connection, which the client may already have picked for the next
     * request. A server that drops the connection for the request itself fails both times.
     */
    Reply send(String method, String path, String key, byte[] body, Map<String, String> headers) {
        try {
            return http.send(method, path, TestHttp.bearer(key), body, headers);
        } catch (UncheckedIOException closed) {
            return http.send(method, path, TestHttp.bearer(key), body, headers);
        }
    }

    /** Stands for half a surrogate pair, which only a JSON escape can carry. */
    static final String LONE_SURROGATE = "LONE-SURROGATE";

    static byte[] json(Object value) {
        return Json.write(value).replace(LONE_SURROGATE, "\\ud800").getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, Object> task() {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("type", "feature");
        t.put("repository_url", "https://git.example.com/acme/shop.git");
        t.put("branch", "main");
        t.put("title", "Add CSV export");
        t.put("instructions", "Export orders as CSV.\n\tKeep the header row.");
        t.put("priority", "P2");
        t.put("test_command", "mvn -q test");
        t.put("budget", new LinkedHashMap<>(Map.of("max_turns", 10, "max_cost_usd", 1.5, "timeout_seconds", 600)));
        t.put("max_attempts", 2);
        t.put("metadata", new LinkedHashMap<>(Map.of("ticket", "SHOP-12", "nested", Map.of("x", List.of(1, 2.5)))));
        return t;
    }

    static Map<String, Object> registration() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", "strict-1");
        r.put("worker_types", List.of("feature"));
        r.put("version", "0.1.0");
        r.put("max_concurrent_tasks", 2);
        r.put("specializations", List.of("java"));
        r.put("tools", List.of("git"));
        r.put("metadata", Map.of("zone", "eu-1"));
        return r;
    }

    static Map<String, Object> heartbeat(String id) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("worker_id", id);
        h.put("status", "idle");
        h.put("current_tasks", List.of());
        h.put("sent_at", "2025-01-31T12:00:00Z");
        h.put("metrics", new LinkedHashMap<>(Map.of("cpu_percent", 12.5, "memory_used_bytes", 1000, "memory_total_bytes", 4000,
                "disk_used_bytes", 10, "disk_free_bytes", 20, "load_average", 0.3, "uptime_seconds", 42)));
        h.put("metadata", Map.of("agent", "demo"));
        return h;
    }

    static Map<String, Object> with(Map<String, Object> base, String field, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(base);
        int dot = field.indexOf('.');
        if (dot > 0) {
            @SuppressWarnings("unchecked")
            Map<String, Object> inner = new LinkedHashMap<>((Map<String, Object>) copy.get(field.substring(0, dot)));
            copy.put(field.substring(0, dot), with(inner, field.substring(dot + 1), value));
        } else {
            copy.put(field, value);
        }
        return copy;
    }

    static Map<String, Object> nested(int depth) {
        Object v = "leaf";
        for (int i = 0; i < depth - 1; i++) {
            v = Map.of("d", v);
        }
        return Map.of("root", v);
    }

    // ---- the rules, one refusal each --------------------------------------------------------

    Stream<Arguments> refusedTasks() {
        return Stream.of(
                Arguments.of(with(task(), "branch", " "), "branch"),
                Arguments.of(with(task(), "branch", "\n"), "branch"),
                Arguments.of(with(task(), "branch", ""), "branch"),
                Arguments.of(with(task(), "branch", "HEAD"), "branch"),
                Arguments.of(with(task(), "branch", "a..b"), "branch"),
                Arguments.of(with(task(), "branch", "x@{1}"), "branch"),
                Arguments.of(with(task(), "branch", "-delete"), "branch"),
                Arguments.of(with(task(), "branch", "feature/"), "branch"),
                Arguments.of(with(task(), "branch", "main.lock"), "branch"),
                Arguments.of(with(task(), "title", 0), "title"),
                Arguments.of(with(task(), "title", true), "title"),
                Arguments.of(with(task(), "title", List.of("x")), "title"),
                Arguments.of(with(task(), "max_attempts", "3"), "max_attempts"),
                Arguments.of(with(task(), "max_attempts", 2.5), "max_attempts"),
                Arguments.of(with(task(), "max_attempts", 3.0), "max_attempts"),
                Arguments.of(with(task(), "max_attempts", 4294967296L), "max_attempts"),
                Arguments.of(with(task(), "budget.max_turns", "5"), "budget.max_turns"),
                Arguments.of(with(task(), "budget.timeout_seconds", true), "budget.timeout_seconds"),
                Arguments.of(with(task(), "test_comand", "mvn test"), "test_comand"),
                Arguments.of(with(task(), "budget.test_comand", "mvn test"), "budget.test_comand"),
                Arguments.of(with(task(), "title", "x".repeat(TITLE_LIMIT + 1)), "title"),
                Arguments.of(with(task(), "title", "two\nlines"), "title"),
                Arguments.of(with(task(), "title", "nul\u0000byte"), "title"),
                Arguments.of(with(task(), "instructions", "half " + LONE_SURROGATE + " pair"), "instructions"),
                Arguments.of(with(task(), "instructions", "bell\u0007"), "instructions"),
                Arguments.of(with(task(), "test_command", " "), "test_command"),
                Arguments.of(with(task(), "metadata", Map.of("big", "x".repeat(METADATA_BYTES))), "metadata"),
                Arguments.of(with(task(), "metadata", nested(METADATA_DEPTH + 1)), "metadata"),
                Arguments.of(with(task(), "metadata", "x"), "metadata"),
                Arguments.of(with(task(), "repository_url", "https://169.254.169.254/latest/meta-data"), "repository_url"),
                Arguments.of(with(task(), "repository_url", "http://2852039166/latest"), "repository_url"),
                Arguments.of(with(task(), "repository_url", "https://[::ffff:169.254.169.254]/x"), "repository_url"),
                Arguments.of(with(task(), "repository_url", "https://[fd00:ec2::254]/x"), "repository_url"),
                Arguments.of(with(task(), "repository_url", "http://metadata.google.internal/x"), "repository_url"),
                Arguments.of(with(task(), "repository_url", "https://127.0.0.2/x.git"), "repository_url"),
                Arguments.of(with(task(), "repository_url", "https://0x7f000002/x.git"), "repository_url"),
                Arguments.of(with(task(), "repository_url", "https://192.168.1.10/x.git"), "repository_url"),
                Arguments.of(with(task(), "repository_url", "https://localhost/x.git"), "repository_url"),
                Arguments.of(with(task(), "repository_url", "ssh://git@[::1]/x.git"), "repository_url"),
                Arguments.of(with(task(), "repository_url", 17), "repository_url"));
    }

    @ParameterizedTest
    @MethodSource("refusedTasks")
    void a_task_breaking_a_rule_is_refused_with_a_400_naming_the_field(Map<String, Object> body, String field) {
        Reply r = send("POST", "/api/v1/tasks", ADMIN, json(body));
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json()).containsEntry("error", "bad_request").containsEntry("field", field);
    }

    @Test
    void allowed_internal_hosts_and_limits_at_their_edge_are_accepted_and_stored_as_sent() {
        for (String url : List.of("https://10.9.3.4/acme/shop.git", "ssh://git@git.internal.test/shop.git",
                "git://127.0.0.1:9418/shop.git", "https://github.com/acme/shop.git")) {
            Map<String, Object> t = with(with(task(), "repository_url", url), "title", "t".repeat(TITLE_LIMIT));
            t = with(t, "metadata", nested(METADATA_DEPTH));
            Reply r = send("POST", "/api/v1/tasks", ADMIN, json(t));
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            Map<String, Object> stored = send("GET", "/api/v1/tasks/" + r.json().get("id"), ADMIN, null).json();
            assertThat(stored).containsEntry("repository_url", url).containsEntry("title", t.get("title"))
                    .containsEntry("branch", "main");
        }
    }

    @Test
    void a_worker_body_refuses_unknown_fields_unless_its_schema_is_newer_than_the_controllers() {
        Reply typo = send("POST", "/api/v1/workers", WORKER_KEY, json(with(registration(), "max_concurent_tasks", 3)));
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.field()).isEqualTo("max_concurent_tasks");
        Reply beat = send("POST", "/api/v1/workers/" + workerId + "/heartbeat", WORKER_KEY,
                json(with(heartbeat(workerId), "metrics.gpu_percent", 3)));
        assertThat(beat.status()).isEqualTo(400);
        assertThat(beat.field()).isEqualTo("metrics.gpu_percent");

        Reply newer = send("POST", "/api/v1/workers", WORKER_KEY,
                json(with(with(registration(), "schema_version", 2), "gpu", Map.of("count", 1))));
        assertThat(newer.status()).as(newer.body()).isEqualTo(201);
        Reply newerBeat = send("POST", "/api/v1/workers/" + workerId + "/heartbeat", WORKER_KEY,
                json(with(with(heartbeat(workerId), "schema_version", 2), "metrics.gpu_percent", 3)));
        assertThat(newerBeat.status()).as(newerBeat.body()).isEqualTo(200);
        Reply wrongType = send("POST", "/api/v1/workers", WORKER_KEY, json(with(registration(), "schema_version", "2")));
        assertThat(wrongType.field()).isEqualTo("schema_version");
    }

    Stream<Arguments> refusedParameters() {
        return Stream.of(
                Arguments.of("GET", "/api/v1/tasks?state=bogus", null, "state"),
                Arguments.of("GET", "/api/v1/tasks?type=painting", null, "type"),
                Arguments.of("GET", "/api/v1/tasks?page=-1", null, "page"),
                Arguments.of("GET", "/api/v1/tasks?page=99999999", null, "page"),
                Arguments.of("GET", "/api/v1/tasks?page=1e3", null, "page"),
                Arguments.of("GET", "/api/v1/tasks?cursor=not-a-cursor", null, "cursor"),
                Arguments.of("GET", "/api/v1/tasks?size=0", null, "size"),
                Arguments.of("GET", "/api/v1/tasks?size=201", null, "size"),
                Arguments.of("GET", "/api/v1/tasks?size=abc", null, "size"),
                Arguments.of("GET", "/api/v1/tasks?repository=" + enc("x\u0000y"), null, "repository"),
                Arguments.of("GET", "/api/v1/tasks/" + enc("a b"), null, "id"),
                Arguments.of("GET", "/api/v1/tasks/" + "x".repeat(129), null, "id"),
                Arguments.of("DELETE", "/api/v1/tasks/" + enc("<x>"), null, "id"),
                Arguments.of("POST", "/api/v1/tasks/" + enc("a;b") + "/retry", null, "id"),
                Arguments.of("GET", "/api/v1/tasks/t-unknown", null, "id"),
                Arguments.of("GET", "/api/v1/clarifications?status=maybe", null, "status"),
                Arguments.of("GET", "/api/v1/clarifications?status=maybe&task_id=t-1", null, "status"),
                Arguments.of("GET", "/api/v1/clarifications?task_id=" + enc("a b"), null, "task_id"),
                Arguments.of("GET", "/api/v1/clarifications/" + enc("é"), null, "id"),
                Arguments.of("GET", "/api/v1/workers/" + enc("w 1"), null, "id"),
                Arguments.of("POST", "/api/v1/workers/" + enc("w'1") + "/drain", null, "id"),
                Arguments.of("POST", "/api/v1/queue/painting/pause", null, "type"),
                Arguments.of("GET", "/api/v1/events?since=-1", null, "since"),
                Arguments.of("GET", "/api/v1/events?since=x", null, "since"),
                Arguments.of("GET", "/api/v1/events", "abc", "Last-Event-ID"),
                Arguments.of("GET", "/api/v1/events", "-5", "Last-Event-ID"),
                Arguments.of("GET", "/api/v1/events", "99999999999999999999", "Last-Event-ID"));
    }

    @ParameterizedTest
    @MethodSource("refusedParameters")
    void bad_path_query_and_header_values_are_refused_naming_them(String method, String path, String lastEventId, String field) {
        Map<String, String> headers = lastEventId == null ? Map.of() : Map.of("Last-Event-ID", lastEventId);
        Reply r = send(method, path, ADMIN, null, headers);
        assertThat(r.status()).as(r.body()).isBetween(400, 404);
        assertThat(r.field()).as(r.body()).isEqualTo(field);
    }

    @Test
    void a_missing_body_and_an_oversized_url_are_named() {
        Reply none = send("POST", "/api/v1/tasks", ADMIN, null);
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.field()).isEqualTo("body");
        Reply longUrl = send("GET", "/api/v1/tasks?repository=" + "x".repeat(20_000), ADMIN, null);
        assertThat(longUrl.status()).isEqualTo(413);
        assertThat(longUrl.field()).isEqualTo("path");
    }

    @Test
    void patches_and_answers_refuse_unknown_fields_and_wrong_types() {
        Reply created = send("POST", "/api/v1/tasks", ADMIN, json(task()));
        String id = (String) created.json().get("id");
        Reply title = send("PATCH", "/api/v1/tasks/" + id, ADMIN, json(Map.of("title", "x")));
        assertThat(title.status()).isEqualTo(400);
        assertThat(title.field()).isEqualTo("title");
        Reply number = send("PATCH", "/api/v1/tasks/" + id, ADMIN, json(Map.of("priority", 1)));
        assertThat(number.field()).isEqualTo("priority");
        Reply answer = send("POST", "/api/v1/clarifications/c-1/answer", ADMIN, json(Map.of("answr", "yes")));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.field()).isEqualTo("answr");
        Reply decision = send("POST", "/api/v1/clarifications/c-1/answer", ADMIN, json(Map.of("decision", "maybe")));
        assertThat(decision.field()).isEqualTo("decision");
    }
}
