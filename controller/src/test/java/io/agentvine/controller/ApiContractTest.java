package io.agentvine.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentvine.controller.config.ControllerSettings;
import io.agentvine.model.FailureReason;
import io.agentvine.model.Json;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.model.LifecycleEventType;
import io.agentvine.model.QueueLevel;
import io.agentvine.model.TaskType;
import io.agentvine.queue.Claim;
import io.agentvine.queue.FailResult;
import io.agentvine.queue.LifecycleStream;
import io.agentvine.queue.WorkQueue;
import io.agentvine.queue.testing.TestRedis;
import io.lettuce.core.RedisClient;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The REST API against a real Redis and a real database; run once on H2 and once on PostgreSQL
 * (the subclasses). Every class gets its own database (or schema) and its own queue namespace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ApiContractTest implements TestPropertyProvider {
    static final String ADMIN = "admin-secret-1";
    static final String FEATURE_KEY = "feature-worker-secret";
    static final String OTHER_KEY = "other-worker-secret";

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    WorkQueue queue;

    @Inject
    RedisClient redisClient;

    @Inject
    ControllerSettings settings;

    LifecycleStream lifecycle;

    @BeforeAll
    void lifecycleStream() {
        lifecycle = new LifecycleStream(redisClient.connect(), settings.getQueueNamespace());
    }

    protected abstract Map<String, String> database();

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(database());
        p.put("agentvine.redis-url", TestRedis.uri());
        p.put("agentvine.queue-namespace", TestRedis.uniqueNamespace());
        p.put("agentvine.admin-keys", ADMIN);
        p.put("agentvine.worker-keys", "feature-pool:" + FEATURE_KEY + ":feature|bugfix,other-pool:" + OTHER_KEY + ":*");
        p.put("agentvine.custom-task-types", "security-audit");
        return p;
    }

    // ---- helpers ----------------------------------------------------------------------------

    <T> MutableHttpRequest<T> as(String key, MutableHttpRequest<T> r) {
        return key == null ? r : r.bearerAuth(key);
    }

    Map<String, Object> call(String key, MutableHttpRequest<?> r) {
        HttpResponse<String> res = http.toBlocking().exchange(as(key, r), String.class);
        String body = res.body();
        return body == null || body.isBlank() ? Map.of() : Json.read(body, Map.class);
    }

    HttpClientResponseException failure(String key, MutableHttpRequest<?> r) {
        try {
            http.toBlocking().exchange(as(key, r), String.class);
        } catch (HttpClientResponseException e) {
            return e;
        }
        throw new AssertionError("expected an error status for " + r.getMethod() + " " + r.getPath());
    }

    Map<String, Object> errorBody(HttpClientResponseException e) {
        return Json.read(e.getResponse().getBody(String.class).orElseThrow(), Map.class);
    }

    Map<String, Object> task(String type, String priority) {
        Map<String, Object> t = new HashMap<>();
        t.put("type", type);
        t.put("repository_url", "https://git.example.com/acme/shop.git");
        t.put("branch", "main");
        t.put("title", "Add CSV export");
        t.put("instructions", "Export orders as CSV from the admin page.");
        t.put("priority", priority);
        t.put("metadata", Map.of("ticket", "SHOP-12", "nested", Map.of("x", List.of(1, 2.5))));
        return t;
    }

    Map<String, Object> registration(String name, String... types) {
        return Map.of("name", name, "worker_types", List.of(types), "version", "0.1.0", "max_concurrent_tasks", 2,
                "specializations", List.of("java"), "tools", List.of("git"), "metadata", Map.of("zone", "eu-1"));
    }

    Map<String, Object> heartbeat(String id, String status) {
        return Map.of("worker_id", id, "status", status, "current_tasks", List.of(), "sent_at", Instant.now().toString(),
                "metrics", Map.of("cpu_percent", 12.5, "memory_used_bytes", 1000, "memory_total_bytes", 4000,
                        "disk_used_bytes", 10, "disk_free_bytes", 20, "load_average", 0.3, "uptime_seconds", 42),
                "metadata", Map.of("agent", "demo"));
    }

    // ---- security ---------------------------------------------------------------------------

    @Test
    void health_is_open_and_reports_up() {
        Map<String, Object> health = call(null, HttpRequest.GET("/health"));
        assertThat(health).containsEntry("status", "UP");
    }

    @Test
    void api_calls_without_a_key_or_with_an_unknown_key_get_401_with_a_json_error() {
        HttpClientResponseException none = failure(null, HttpRequest.GET("/api/v1/tasks"));
        assertThat(none.getStatus().getCode()).isEqualTo(401);
        assertThat(errorBody(none)).containsEntry("error", "unauthorized");
        HttpClientResponseException wrong = failure("not-a-key", HttpRequest.GET("/api/v1/tasks"));
        assertThat(wrong.getStatus().getCode()).isEqualTo(401);
        assertThat(errorBody(wrong).toString()).doesNotContain("not-a-key");
    }

    @Test
    void a_worker_key_cannot_use_operator_endpoints() {
        HttpClientResponseException e = failure(FEATURE_KEY, HttpRequest.POST("/api/v1/tasks", task("feature", "P2")));
        assertThat(e.getStatus().getCode()).isEqualTo(403);
        assertThat(failure(FEATURE_KEY, HttpRequest.GET("/api/v1/workers")).getStatus().getCode()).isEqualTo(403);
    }

    // ---- workers ----------------------------------------------------------------------------

    @Test
    void a_worker_registers_heartbeats_and_is_shown_with_its_metrics_and_metadata() {
        Map<String, Object> reg = call(FEATURE_KEY, HttpRequest.POST("/api/v1/workers", registration("fw-1", "feature")));
        String id = (String) reg.get("worker_id");
        assertThat(id).startsWith("w-");
        assertThat(reg).containsEntry("heartbeat_interval_seconds", 15).containsEntry("lease_seconds", 30)
                .containsEntry("schema_version", 1);

        Map<String, Object> reply = call(FEATURE_KEY, HttpRequest.POST("/api/v1/workers/" + id + "/heartbeat", heartbeat(id, "idle")));
        assertThat(reply).containsEntry("command", "none");

        Map<String, Object> shown = call(ADMIN, HttpRequest.GET("/api/v1/workers/" + id));
        assertThat(shown).containsEntry("status", "idle").containsEntry("health", "healthy")
                .containsEntry("worker_types", List.of("feature")).containsEntry("completed_count", 0);
        assertThat((Map<String, Object>) shown.get("metrics")).containsEntry("memory_total_bytes", 4000);
        assertThat((Map<String, Object>) shown.get("metadata")).containsEntry("agent", "demo");
        List<Map<String, Object>> all = http.toBlocking().retrieve(HttpRequest.GET("/api/v1/workers").bearerAuth(ADMIN),
                Argument.listOf(Argument.mapOf(String.class, Object.class)));
        assertThat(all).extracting(w -> w.get("id")).contains(id);
    }

    @Test
    void a_worker_key_registers_only_for_its_types_and_touches_only_its_own_workers() {
        HttpClientResponseException e = failure(FEATURE_KEY, HttpRequest.POST("/api/v1/workers", registration("fw", "docs")));
        assertThat(e.getStatus().getCode()).isEqualTo(403);
        assertThat(errorBody(e).get("message").toString()).contains("docs");

        String mine = (String) call(FEATURE_KEY, HttpRequest.POST("/api/v1/workers", registration("fw-2", "bugfix"))).get("worker_id");
        HttpClientResponseException other = failure(OTHER_KEY,
                HttpRequest.POST("/api/v1/workers/" + mine + "/heartbeat", heartbeat(mine, "idle")));
        assertThat(other.getStatus().getCode()).isEqualTo(403);
        assertThat(failure(OTHER_KEY, HttpRequest.DELETE("/api/v1/workers/" + mine)).getStatus().getCode()).isEqualTo(403);
    }

    @Test
    void registration_with_an_unknown_type_or_bad_fields_names_the_field() {
        HttpClientResponseException e = failure(OTHER_KEY, HttpRequest.POST("/api/v1/workers", registration("x", "painting")));
        assertThat(e.getStatus().getCode()).isEqualTo(400);
        assertThat(errorBody(e)).containsEntry("field", "type");
        assertThat(errorBody(e).get("message").toString()).contains("painting").contains("feature");

        HttpClientResponseException noName = failure(OTHER_KEY, HttpRequest.POST("/api/v1/workers",
                Map.of("worker_types", List.of("feature"), "version", "1")));
        assertThat(noName.getStatus().getCode()).isEqualTo(400);
        assertThat(errorBody(noName)).containsEntry("field", "name");
    }

    @Test
    void pause_resume_and_drain_reach_the_worker_in_its_heartbeat_reply_until_it_complies() {
        String id = (String) call(OTHER_KEY, HttpRequest.POST("/api/v1/workers", registration("w", "docs"))).get("worker_id");
        call(ADMIN, HttpRequest.POST("/api/v1/workers/" + id + "/pause", ""));
        String hb = "/api/v1/workers/" + id + "/heartbeat";
        assertThat(call(OTHER_KEY, HttpRequest.POST(hb, heartbeat(id, "idle")))).containsEntry("command", "pause");
        assertThat(call(OTHER_KEY, HttpRequest.POST(hb, heartbeat(id, "paused")))).containsEntry("command", "none");
        call(ADMIN, HttpRequest.POST("/api/v1/workers/" + id + "/resume", ""));
        assertThat(call(OTHER_KEY, HttpRequest.POST(hb, heartbeat(id, "paused")))).containsEntry("command", "resume");
        assertThat(call(OTHER_KEY, HttpRequest.POST(hb, heartbeat(id, "idle")))).containsEntry("command", "none");
        call(ADMIN, HttpRequest.POST("/api/v1/workers/" + id + "/drain", ""));
        assertThat(call(OTHER_KEY, HttpRequest.POST(hb, heartbeat(id, "busy")))).containsEntry("command", "drain");
        assertThat(call(OTHER_KEY, HttpRequest.POST(hb, heartbeat(id, "draining")))).containsEntry("command", "none");
        assertThat(failure(OTHER_KEY, HttpRequest.POST("/api/v1/workers/" + id + "/pause", "")).getStatus().getCode())
                .as("commands need an admin key").isEqualTo(403);
        assertThat(failure(ADMIN, HttpRequest.POST("/api/v1/workers/w-nope/pause", "")).getStatus().getCode()).isEqualTo(404);
    }

    @Test
    void a_drained_worker_is_shown_drained_and_reported_statuses_move_only_as_the_states_table_allows() {
        String id = (String) call(OTHER_KEY, HttpRequest.POST("/api/v1/workers", registration("w", "docs"))).get("worker_id");
        String hb = "/api/v1/workers/" + id + "/heartbeat";
        call(OTHER_KEY, HttpRequest.POST(hb, heartbeat(id, "busy")));
        call(ADMIN, HttpRequest.POST("/api/v1/workers/" + id + "/drain", ""));
        assertThat(call(OTHER_KEY, HttpRequest.POST(hb, heartbeat(id, "drained")))).as("busy → drained between two beats")
                .containsEntry("command", "none");
        assertThat(call(ADMIN, HttpRequest.GET("/api/v1/workers/" + id))).containsEntry("status", "drained");

        call(OTHER_KEY, HttpRequest.POST(hb, heartbeat(id, "idle")));
        assertThat(call(ADMIN, HttpRequest.GET("/api/v1/workers/" + id))).as("drained → idle is not a move")
                .containsEntry("status", "drained").containsEntry("pending_command", "none");
        for (String command : List.of("pause", "resume")) {
            HttpClientResponseException refused = failure(ADMIN, HttpRequest.POST("/api/v1/workers/" + id + "/" + command, ""));
            assertThat(refused.getStatus().getCode()).isEqualTo(409);
            assertThat(errorBody(refused).get("message").toString()).contains("is drained: a drain cannot be paused or resumed");
        }

        call(OTHER_KEY, HttpRequest.POST(hb, heartbeat(id, "stopping")));
        assertThat(call(ADMIN, HttpRequest.GET("/api/v1/workers/" + id))).containsEntry("status", "stopping");
    }

    @Test
    void a_failed_task_is_retried_and_a_queued_one_is_not() {
        String id = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("feature", "P2"))).get("id");
        HttpClientResponseException notYet = failure(ADMIN, HttpRequest.POST("/api/v1/tasks/" + id + "/retry", ""));
        assertThat(notYet.getStatus().getCode()).isEqualTo(409);
        assertThat(errorBody(notYet).get("message").toString()).contains("queued");

        // A worker runs it, the tests fail, it reports so on the lifecycle stream (the controller's
        // consumer thread is running in this context).
        var claim = queue.claim(TaskType.FEATURE, "w-x").orElseThrow();
        var verdict = queue.fail(claim, "tests_failed", FailResult.Disposition.FAIL);
        lifecycle.publish(LifecycleEvent.builder(UUID.randomUUID().toString(),
                        LifecycleEventType.FAILED, id, "w-x", claim.attempt(), Instant.now())
                .outcome(FailureReason.TESTS_FAILED)
                .queueOutcome(verdict.outcome())
                .build());
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> "failed".equals(call(ADMIN, HttpRequest.GET("/api/v1/tasks/" + id)).get("state")));

        Map<String, Object> failed = call(ADMIN, HttpRequest.GET("/api/v1/tasks/" + id));
        assertThat((List<Map<String, Object>>) failed.get("attempt_history")).singleElement()
                .satisfies(a -> assertThat(a).containsEntry("attempt", 1).containsEntry("outcome", "tests_failed")
                        .containsEntry("worker_id", "w-x"));
        assertThat(failed.get("log_location")).isEqualTo("worker w-x: logs/" + id + ".log");

        Map<String, Object> retried = call(ADMIN, HttpRequest.POST("/api/v1/tasks/" + id + "/retry", ""));
        assertThat(retried).containsEntry("state", "queued");
        assertThat(queue.claim(TaskType.FEATURE, "w-y")).map(Claim::id).contains(id);
    }

    @Test
    void a_deregistered_worker_is_offline_and_its_heartbeats_get_410() {
        String id = (String) call(OTHER_KEY, HttpRequest.POST("/api/v1/workers", registration("w", "test"))).get("worker_id");
        assertThat(http.toBlocking().exchange(HttpRequest.DELETE("/api/v1/workers/" + id).bearerAuth(OTHER_KEY))
                .getStatus().getCode()).isEqualTo(204);
        assertThat(call(ADMIN, HttpRequest.GET("/api/v1/workers/" + id))).containsEntry("health", "offline");
        HttpClientResponseException e = failure(OTHER_KEY, HttpRequest.POST("/api/v1/workers/" + id + "/heartbeat", heartbeat(id, "idle")));
        assertThat(e.getStatus().getCode()).isEqualTo(410);
    }

    @Test
    void a_heartbeat_for_another_worker_id_or_an_unknown_worker_is_refused() {
        String id = (String) call(OTHER_KEY, HttpRequest.POST("/api/v1/workers", registration("w", "test"))).get("worker_id");
        HttpClientResponseException mismatch = failure(OTHER_KEY,
                HttpRequest.POST("/api/v1/workers/" + id + "/heartbeat", heartbeat("w-someone-else", "idle")));
        assertThat(mismatch.getStatus().getCode()).isEqualTo(400);
        assertThat(errorBody(mismatch)).containsEntry("field", "worker_id");
        assertThat(failure(OTHER_KEY, HttpRequest.POST("/api/v1/workers/w-nope/heartbeat", heartbeat("w-nope", "idle")))
                .getStatus().getCode()).isEqualTo(404);
    }

    // ---- tasks ------------------------------------------------------------------------------

    @Test
    void a_task_is_routed_stored_and_queued_and_the_answer_says_when_no_worker_serves_its_type() {
        HttpResponse<String> res = http.toBlocking().exchange(
                HttpRequest.POST("/api/v1/tasks", task("security-audit", "P1")).bearerAuth(ADMIN), String.class);
        assertThat(res.getStatus().getCode()).isEqualTo(201);
        Map<String, Object> created = Json.read(res.body(), Map.class);
        assertThat(created).containsEntry("queue", "high").containsEntry("model", "opus")
                .containsEntry("model_tier", "premium").containsEntry("state", "queued");
        assertThat(created.get("routing_reason").toString()).contains("P1").contains("premium");
        assertThat(created.get("note").toString()).contains("no live worker");

        String id = (String) created.get("id");
        assertThat(queue.get(TaskType.of("security-audit"), id)).isPresent();
        Map<String, Object> shown = call(ADMIN, HttpRequest.GET("/api/v1/tasks/" + id));
        assertThat(shown).containsEntry("state", "queued").containsEntry("attempts", 0)
                .containsEntry("repository_url", "https://git.example.com/acme/shop.git");
        assertThat((Map<String, Object>) shown.get("token_usage")).containsEntry("input_tokens", 0);
    }

    @Test
    void priorities_route_to_queue_levels_and_model_tiers() {
        assertThat(call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("docs", "P2"))))
                .containsEntry("queue", "default").containsEntry("model", "sonnet");
        assertThat(call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("docs", "P4"))))
                .containsEntry("queue", "low").containsEntry("model", "haiku");
        Map<String, Object> explicit = new HashMap<>(task("docs", "P3"));
        explicit.put("model", "claude-sonnet-4-5");
        Map<String, Object> r = call(ADMIN, HttpRequest.POST("/api/v1/tasks", explicit));
        assertThat(r).containsEntry("model", "claude-sonnet-4-5").containsEntry("queue", "low");
        assertThat(r.get("routing_reason").toString()).contains("requested");
    }

    @Test
    void an_idempotency_key_returns_the_existing_task_with_200() {
        Map<String, Object> t = new HashMap<>(task("refactor", "P2"));
        t.put("idempotency_key", "ci-build-991");
        Map<String, Object> first = call(ADMIN, HttpRequest.POST("/api/v1/tasks", t));
        HttpResponse<String> again = http.toBlocking().exchange(HttpRequest.POST("/api/v1/tasks", t).bearerAuth(ADMIN), String.class);
        assertThat(again.getStatus().getCode()).isEqualTo(200);
        Map<String, Object> second = Json.read(again.body(), Map.class);
        assertThat(second.get("id")).isEqualTo(first.get("id"));
        assertThat(second).containsEntry("created", false);
    }

    @Test
    void bad_task_input_gets_a_400_naming_the_field() {
        Map<String, Map<String, Object>> cases = new LinkedHashMap<>();
        cases.put("type", Map.of("type", "painting"));
        cases.put("priority", Map.of("priority", "P9"));
        cases.put("repository_url", Map.of("repository_url", "ftp://example.com/x.git"));
        cases.put("repository_url ", Map.of("repository_url", "http://example.com/x.git"));
        cases.put("title", Map.of("title", " "));
        cases.put("permission_level", Map.of("permission_level", "yolo"));
        cases.put("budget.max_turns", Map.of("budget", Map.of("max_turns", -1)));
        for (var c : cases.entrySet()) {
            Map<String, Object> t = new HashMap<>(task("feature", "P2"));
            t.putAll(c.getValue());
            HttpClientResponseException e = failure(ADMIN, HttpRequest.POST("/api/v1/tasks", t));
            assertThat(e.getStatus().getCode()).as(c.getKey()).isEqualTo(400);
            assertThat(errorBody(e)).as(c.getKey()).containsEntry("field", c.getKey().trim()).containsEntry("error", "bad_request");
        }
    }

    @Test
    void file_repositories_are_refused_unless_enabled() {
        Map<String, Object> t = new HashMap<>(task("feature", "P2"));
        t.put("repository_url", "file:///srv/git/shop.git");
        HttpClientResponseException e = failure(ADMIN, HttpRequest.POST("/api/v1/tasks", t));
        assertThat(e.getStatus().getCode()).isEqualTo(400);
        assertThat(errorBody(e)).containsEntry("field", "repository_url");
        assertThat(errorBody(e).get("message").toString()).contains("allow-file-repositories");
    }

    @Test
    void malformed_json_wrong_types_and_oversized_bodies_get_4xx_not_500() {
        HttpClientResponseException malformed = failure(ADMIN, HttpRequest.POST("/api/v1/tasks", "{\"type\": \"feature\",")
                .contentType(MediaType.APPLICATION_JSON_TYPE));
        assertThat(malformed.getStatus().getCode()).isEqualTo(400);
        assertThat(errorBody(malformed)).containsEntry("error", "bad_request");

        Map<String, Object> t = new HashMap<>(task("feature", "P2"));
        t.put("max_attempts", "many");
        HttpClientResponseException wrongType = failure(ADMIN, HttpRequest.POST("/api/v1/tasks", t));
        assertThat(wrongType.getStatus().getCode()).isEqualTo(400);
        assertThat(errorBody(wrongType)).containsEntry("field", "max_attempts");

        Map<String, Object> huge = new HashMap<>(task("feature", "P2"));
        huge.put("instructions", "x".repeat(2_000_000));
        HttpClientResponseException tooBig = failure(ADMIN, HttpRequest.POST("/api/v1/tasks", huge));
        assertThat(tooBig.getStatus().getCode()).isEqualTo(413);
    }

    @Test
    void a_queued_task_can_be_reprioritized_listed_and_cancelled() {
        String id = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("test", "P4"))).get("id");
        Map<String, Object> patched = call(ADMIN, HttpRequest.PATCH("/api/v1/tasks/" + id, Map.of("priority", "P0")));
        assertThat(patched).containsEntry("priority", "P0").containsEntry("queue", "high");
        assertThat(queue.queuedIds(TaskType.TEST, QueueLevel.HIGH, 0, 10)).contains(id);
        HttpClientResponseException badPatch = failure(ADMIN, HttpRequest.PATCH("/api/v1/tasks/" + id, Map.of("title", "x")));
        assertThat(errorBody(badPatch)).containsEntry("field", "title");

        Map<String, Object> page = call(ADMIN, HttpRequest.GET("/api/v1/tasks?type=test&state=queued&size=5"));
        assertThat(page.get("content").toString()).contains(id);

        Map<String, Object> cancelled = call(ADMIN, HttpRequest.DELETE("/api/v1/tasks/" + id));
        assertThat(cancelled).containsEntry("state", "cancelled");
        assertThat(queue.queuedIds(TaskType.TEST, QueueLevel.HIGH, 0, 10)).doesNotContain(id);
        assertThat(failure(ADMIN, HttpRequest.DELETE("/api/v1/tasks/" + id)).getStatus().getCode()).isEqualTo(409);
        assertThat(failure(ADMIN, HttpRequest.PATCH("/api/v1/tasks/" + id, Map.of("priority", "P1"))).getStatus().getCode())
                .isEqualTo(409);
        assertThat(failure(ADMIN, HttpRequest.GET("/api/v1/tasks/t-unknown")).getStatus().getCode()).isEqualTo(404);
    }

    @Test
    void cancelling_a_running_task_flags_it_for_its_worker() {
        String id = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("bugfix", "P0"))).get("id");
        var claim = queue.claim(TaskType.BUGFIX, "w-test").orElseThrow();
        assertThat(claim.id()).isEqualTo(id);
        call(ADMIN, HttpRequest.DELETE("/api/v1/tasks/" + id));
        assertThat(queue.extend(claim).cancelRequested()).isTrue();
    }

    @Test
    void the_queue_view_shows_depths_and_a_type_can_be_paused_and_resumed() {
        String id = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("review", "P3"))).get("id");
        call(ADMIN, HttpRequest.POST("/api/v1/queue/review/pause", ""));
        List<Map<String, Object>> all = http.toBlocking().retrieve(HttpRequest.GET("/api/v1/queue").bearerAuth(ADMIN),
                Argument.listOf(Argument.mapOf(String.class, Object.class)));
        Map<String, Object> review = all.stream().filter(q -> q.get("type").equals("review")).findFirst().orElseThrow();
        assertThat(review).containsEntry("paused", true);
        assertThat((Map<String, Object>) review.get("depth")).containsEntry("low", 1);
        assertThat((List<String>) review.get("queued")).containsExactly(id);
        assertThat(queue.claim(TaskType.REVIEW, "w")).isEmpty();
        call(ADMIN, HttpRequest.POST("/api/v1/queue/review/resume", ""));
        assertThat(queue.claim(TaskType.REVIEW, "w")).isPresent();
        assertThat(failure(ADMIN, HttpRequest.POST("/api/v1/queue/painting/pause", "")).getStatus().getCode()).isEqualTo(400);
    }

    @Test
    void metrics_are_served_in_prometheus_format_without_a_key() {
        String id = (String) call(OTHER_KEY, HttpRequest.POST("/api/v1/workers", registration("m", "docs"))).get("worker_id");
        call(OTHER_KEY, HttpRequest.POST("/api/v1/workers/" + id + "/heartbeat", heartbeat(id, "idle")));
        call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("docs", "P0")));
        String text = http.toBlocking().retrieve(HttpRequest.GET("/metrics"));
        assertThat(text).contains("agentvine_queue_depth{level=\"high\",type=\"docs\"}")
                .contains("agentvine_tasks{state=\"queued\"}")
                .contains("agentvine_heartbeats_total");
    }

    @Test
    void the_openapi_document_is_served_without_a_key() {
        String yml = http.toBlocking().retrieve(HttpRequest.GET("/api/openapi/agentvine-controller-1.yml"));
        assertThat(yml).contains("/api/v1/tasks").contains("/api/v1/workers/{id}/heartbeat");
    }
}
