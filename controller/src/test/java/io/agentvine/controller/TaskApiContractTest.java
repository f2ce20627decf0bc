package io.agentvine.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.model.Json;
import io.agentvine.model.QueueLevel;
import io.agentvine.model.TaskType;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
/**
 * The REST API's tasks, queue, metrics and OpenAPI document against a real Redis and a real
 * database; run once on H2 and once on PostgreSQL (the subclasses).
 */
abstract class TaskApiContractTest extends ApiContractFixture {
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
    void an_operator_moves_a_queued_task_inside_its_queue_level() {
        String first = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("docs", "P2"))).get("id");
        String second = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("docs", "P2"))).get("id");
        QueueLevel level = QueueLevel.fromWire((String) call(ADMIN, HttpRequest.GET("/api/v1/tasks/" + second)).get("queue"));

        Map<String, Object> moved = call(ADMIN, HttpRequest.POST("/api/v1/tasks/" + second + "/move?to=top", ""));

        assertThat(moved).containsEntry("task_id", second).containsEntry("queue", level.wireName())
                .containsEntry("position", 0);
        List<String> waiting = queue.queuedIds(TaskType.DOCS, level, 0, 100);
        assertThat(waiting.indexOf(second)).isLessThan(waiting.indexOf(first));
        HttpClientResponseException noWhere = failure(ADMIN, HttpRequest.POST("/api/v1/tasks/" + second + "/move?to=sideways", ""));
        assertThat(noWhere.getStatus().getCode()).isEqualTo(400);
        assertThat(errorBody(noWhere)).containsEntry("field", "to");
        call(ADMIN, HttpRequest.DELETE("/api/v1/tasks/" + first));
        HttpClientResponseException gone = failure(ADMIN, HttpRequest.POST("/api/v1/tasks/" + first + "/move?to=up", ""));
        assertThat(gone.getStatus().getCode()).isEqualTo(409);
        assertThat(failure(FEATURE_KEY, HttpRequest.POST("/api/v1/tasks/" + second + "/move?to=top", "")).getStatus().getCode())
                .isEqualTo(403);
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
