package io.agentvine.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.model.FailureReason;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.model.LifecycleEventType;
import io.agentvine.model.TaskType;
import io.agentvine.queue.Claim;
import io.agentvine.queue.FailResult;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
/**
 * The REST API's keys and workers against a real Redis and a real database; run once on H2 and once
 * on PostgreSQL (the subclasses). Tasks and the queue: {@link TaskApiContractTest}.
 */
abstract class ApiContractTest extends ApiContractFixture {
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
}
