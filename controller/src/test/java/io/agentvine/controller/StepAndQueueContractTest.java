package io.agentvine.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.controller.history.EventLog;
import io.agentvine.controller.persistence.EventRow;
import io.agentvine.model.FailureReason;
import io.agentvine.model.Json;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.model.LifecycleEventType;
import io.agentvine.model.RunStep;
import io.agentvine.model.TaskType;
import io.agentvine.queue.Claim;
import io.agentvine.queue.FailResult;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A running task's step (from the worker's step_changed events and its heartbeats: on the task, on the
 * worker's card, as task_step events) and the queue's detail view with the change of priority, against a
 * real Redis and a real database; run once on H2 and once on PostgreSQL (the subclasses).
 */
@SuppressWarnings("unchecked")
abstract class StepAndQueueContractTest extends ApiContractFixture {
    @Inject
    EventLog eventLog;

    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private Map<String, Object> shown(String id) {
        return call(ADMIN, HttpRequest.GET("/api/v1/tasks/" + id));
    }

    private List<Map<String, Object>> stepEvents(String taskId) {
        return eventLog.after(0).stream().filter(e -> e.type().equals("task_step") && taskId.equals(e.taskId()))
                .map(EventRow::payload).map(p -> (Map<String, Object>) Json.read(p, Map.class)).toList();
    }

    private void publish(LifecycleEventType type, String id, String worker, Claim claim, Instant at, RunStep step) {
        LifecycleEvent.Builder b = LifecycleEvent.builder(UUID.randomUUID().toString(), type, id, worker, claim.attempt(), at)
                .taskType(claim.type());
        if (step != null) {
            b.step(step);
        }
        lifecycle.publish(b.build());
    }

    /** A task of {@code type} claimed by {@code worker} and reported started. */
    private Claim started(String id, TaskType type, String worker) {
        Claim claim = queue.claim(type, worker).orElseThrow();
        assertThat(claim.id()).isEqualTo(id);
        publish(LifecycleEventType.STARTED, id, worker, claim, T0, null);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "running".equals(shown(id).get("state")));
        return claim;
    }

    @Test
    void step_changed_events_move_the_running_tasks_step_once_per_change_and_it_is_cleared_when_the_task_ends() {
        String id = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("bugfix", "P1"))).get("id");
        assertThat(shown(id).get("step")).isNull();
        Claim claim = started(id, TaskType.BUGFIX, "w-steps");

        publish(LifecycleEventType.STEP_CHANGED, id, "w-steps", claim, T0.plusMillis(1), RunStep.CLONING);
        publish(LifecycleEventType.STEP_CHANGED, id, "w-steps", claim, T0.plusMillis(2), RunStep.AGENT_RUNNING);
        publish(LifecycleEventType.STEP_CHANGED, id, "w-steps", claim, T0.plusMillis(2), RunStep.AGENT_RUNNING); // a repeat
        publish(LifecycleEventType.STEP_CHANGED, id, "w-steps", claim, T0.plusMillis(1), RunStep.PREPARING); // late, older
        publish(LifecycleEventType.STEP_CHANGED, id, "w-other", claim, T0.plusMillis(9), RunStep.PUSHING); // not the holder
        publish(LifecycleEventType.PROGRESS, id, "w-steps", claim, T0.plusMillis(3), null); // a marker: all above applied
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> eventLog.after(0).stream()
                .anyMatch(e -> e.type().equals("task_progress") && id.equals(e.taskId())));

        assertThat(shown(id)).containsEntry("step", "agent_running")
                .containsEntry("step_since", T0.plusMillis(2).toString());
        assertThat(stepEvents(id)).extracting(p -> p.get("step")).containsExactly("cloning", "agent_running");
        assertThat(stepEvents(id).get(1)).containsEntry("task_id", id).containsEntry("worker_id", "w-steps")
                .containsEntry("attempt", 1).containsEntry("step_since", T0.plusMillis(2).toString());
        Map<String, Object> page = call(ADMIN, HttpRequest.GET("/api/v1/tasks?type=bugfix&state=running"));
        assertThat((List<Map<String, Object>>) page.get("content")).singleElement()
                .satisfies(t -> assertThat(t).containsEntry("step", "agent_running"));

        queue.ack(claim);
        publish(LifecycleEventType.COMPLETED, id, "w-steps", claim, T0.plusMillis(5), null);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "completed".equals(shown(id).get("state")));
        assertThat(shown(id).get("step")).isNull();
        assertThat(shown(id).get("step_since")).isNull();
    }

    @Test
    void heartbeats_bring_the_step_too_and_the_workers_card_shows_its_tasks_title_repository_and_step() {
        String worker = (String) call(FEATURE_KEY, HttpRequest.POST("/api/v1/workers", registration("carded", "feature")))
                .get("worker_id");
        String id = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("feature", "P1"))).get("id");
        Claim claim = started(id, TaskType.FEATURE, worker);
        Instant since = T0.plusMillis(40);

        for (int i = 0; i < 3; i++) { // the same step in every beat: recorded and announced once
            call(FEATURE_KEY, HttpRequest.POST("/api/v1/workers/" + worker + "/heartbeat", beat(worker, id, claim, "testing", since)));
            flushBeats();
        }

        assertThat(shown(id)).containsEntry("step", "testing").containsEntry("step_since", since.toString());
        assertThat(stepEvents(id)).singleElement().satisfies(p -> assertThat(p).containsEntry("step", "testing")
                .containsEntry("worker_id", worker));
        Map<String, Object> card = call(ADMIN, HttpRequest.GET("/api/v1/workers/" + worker));
        assertThat((List<Map<String, Object>>) card.get("current_tasks")).singleElement().satisfies(t -> assertThat(t)
                .containsEntry("task_id", id).containsEntry("title", "Add CSV export")
                .containsEntry("repository", "https://git.example.com/acme/shop.git").containsEntry("type", "feature")
                .containsEntry("attempt", 1).containsEntry("step", "testing").containsEntry("step_since", since.toString()));

        // An older step in a late beat changes nothing; a step_changed event with a later one wins.
        call(FEATURE_KEY, HttpRequest.POST("/api/v1/workers/" + worker + "/heartbeat", beat(worker, id, claim, "cloning",
                T0.plusMillis(10))));
        flushBeats();
        assertThat(shown(id)).containsEntry("step", "testing");
        publish(LifecycleEventType.STEP_CHANGED, id, worker, claim, since.plusMillis(5), RunStep.COMMITTING);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "committing".equals(shown(id).get("step")));
        assertThat(stepEvents(id)).extracting(p -> p.get("step")).containsExactly("testing", "committing");
        List<Map<String, Object>> fleet = http.toBlocking().retrieve(HttpRequest.GET("/api/v1/workers").bearerAuth(ADMIN),
                io.micronaut.core.type.Argument.listOf(io.micronaut.core.type.Argument.mapOf(String.class, Object.class)));
        Map<String, Object> mine = fleet.stream().filter(w -> w.get("id").equals(worker)).findFirst().orElseThrow();
        assertThat((List<Map<String, Object>>) mine.get("current_tasks")).singleElement()
                .satisfies(t -> assertThat(t).containsEntry("step", "committing"));
    }

    /** Reading the workers flushes the buffered beats. */
    private void flushBeats() {
        http.toBlocking().retrieve(HttpRequest.GET("/api/v1/workers").bearerAuth(ADMIN));
    }

    private Map<String, Object> beat(String worker, String id, Claim claim, String step, Instant since) {
        Map<String, Object> beat = new HashMap<>(heartbeat(worker, "busy"));
        beat.put("current_tasks", List.of(Map.of("work_order_id", id, "task_id", id, "type", "feature",
                "started_at", T0.toString(), "attempt", claim.attempt(), "step", step, "step_since", since.toString())));
        return beat;
    }

    @Test
    void a_paused_repositorys_tasks_keep_their_places_while_other_repositories_run_until_it_is_resumed() {
        Map<String, Object> other = new HashMap<>(task("test", "P2"));
        other.put("repository_url", "https://git.example.com/acme/other.git");
        String first = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("test", "P2"))).get("id");
        String second = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("test", "P2"))).get("id");
        String elsewhere = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", other)).get("id");

        Map<String, Object> paused = call(ADMIN, HttpRequest.POST("/api/v1/repositories/pause",
                Map.of("repository", "git@git.example.com:acme/shop")));
        assertThat(paused).as("any form of its URL names it").containsEntry("repository", "git.example.com/acme/shop")
                .containsEntry("paused", true).containsEntry("changed", true);
        assertThat(call(ADMIN, HttpRequest.POST("/api/v1/repositories/pause", Map.of("repository", "git.example.com/acme/shop"))))
                .containsEntry("changed", false);
        assertThat((List<String>) call(ADMIN, HttpRequest.GET("/api/v1/repositories/paused")).get("paused"))
                .containsExactly("git.example.com/acme/shop");
        List<Map<String, Object>> orders = (List<Map<String, Object>>) ((Map<String, Object>) call(ADMIN,
                HttpRequest.GET("/api/v1/queue/test")).get("waiting")).get("orders");
        assertThat(orders).extracting(o -> o.get("task_id")).containsExactly(first, second, elsewhere);
        assertThat(orders.get(0)).containsEntry("blocked", "repository_paused");

        Claim taken = queue.claim(TaskType.TEST, "w-repo").orElseThrow();
        assertThat(taken.id()).as("the other repository's task runs").isEqualTo(elsewhere);
        assertThat(queue.claim(TaskType.TEST, "w-repo")).as("the paused one's wait").isEmpty();

        assertThat(call(ADMIN, HttpRequest.POST("/api/v1/repositories/resume", Map.of("repository",
                "https://git.example.com/acme/shop.git")))).containsEntry("paused", false).containsEntry("changed", true);
        assertThat(queue.claim(TaskType.TEST, "w-repo").orElseThrow().id()).as("in their places").isEqualTo(first);
        assertThat(queue.claim(TaskType.TEST, "w-repo").orElseThrow().id()).isEqualTo(second);
        assertThat((List<String>) call(ADMIN, HttpRequest.GET("/api/v1/repositories/paused")).get("paused")).isEmpty();

        HttpClientResponseException nasty = failure(ADMIN, HttpRequest.POST("/api/v1/repositories/pause",
                Map.of("repository", "\u202eevil")));
        assertThat(nasty.getStatus().getCode()).isEqualTo(400);
        assertThat(errorBody(nasty)).containsEntry("field", "repository");
        assertThat(failure(FEATURE_KEY, HttpRequest.POST("/api/v1/repositories/pause", Map.of("repository", "git.example.com/a/b")))
                .getStatus().getCode()).isEqualTo(403);
    }

    @Test
    void the_queue_detail_lists_waiting_orders_in_run_order_with_titles_then_delayed_and_dead_ones_paged() {
        Map<String, Object> low = new HashMap<>(task("refactor", "P4"));
        low.put("title", "Low one");
        Map<String, Object> high = new HashMap<>(task("refactor", "P0"));
        high.put("title", "Urgent one");
        String lowId = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", low)).get("id");
        String normalId = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("refactor", "P2"))).get("id");
        String highId = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", high)).get("id");

        Map<String, Object> q = call(ADMIN, HttpRequest.GET("/api/v1/queue/refactor?limit=2"));
        assertThat(q).containsEntry("type", "refactor").containsEntry("paused", false).containsEntry("offset", 0)
                .containsEntry("limit", 2);
        assertThat((Map<String, Object>) q.get("depth")).containsEntry("high", 1).containsEntry("default", 1)
                .containsEntry("low", 1);
        Map<String, Object> waiting = (Map<String, Object>) q.get("waiting");
        assertThat(waiting).containsEntry("total", 3);
        List<Map<String, Object>> orders = (List<Map<String, Object>>) waiting.get("orders");
        assertThat(orders).extracting(o -> o.get("task_id")).containsExactly(highId, normalId);
        assertThat(orders.get(0)).containsEntry("title", "Urgent one").containsEntry("priority", "P0")
                .containsEntry("level", "high").containsEntry("position", 0).containsEntry("level_position", 0);
        assertThat(orders.get(0).get("enqueued_at")).isNotNull();
        assertThat(orders.get(0).get("blocked")).as("nothing holds its branch or repository back").isNull();
        Map<String, Object> rest = (Map<String, Object>) call(ADMIN, HttpRequest.GET("/api/v1/queue/refactor?offset=2&limit=2"))
                .get("waiting");
        assertThat((List<Map<String, Object>>) rest.get("orders")).singleElement().satisfies(o -> assertThat(o)
                .containsEntry("task_id", lowId).containsEntry("title", "Low one").containsEntry("position", 2));

        Claim first = queue.claim(TaskType.REFACTOR, "w-q").orElseThrow();
        queue.fail(first, "agent_error: exit 1", FailResult.Disposition.RETRY);
        Claim second = queue.claim(TaskType.REFACTOR, "w-q").orElseThrow();
        queue.fail(second, "invalid_payload: unreadable", FailResult.Disposition.DEAD_LETTER);
        Map<String, Object> after = call(ADMIN, HttpRequest.GET("/api/v1/queue/refactor"));
        assertThat((Map<String, Object>) after.get("waiting")).containsEntry("total", 1);
        Map<String, Object> delayed = (Map<String, Object>) after.get("delayed");
        assertThat(delayed).containsEntry("total", 1);
        assertThat((List<Map<String, Object>>) delayed.get("orders")).singleElement().satisfies(o -> {
            assertThat(o).containsEntry("task_id", highId).containsEntry("title", "Urgent one")
                    .containsEntry("reason", "agent_error: exit 1").containsEntry("attempts", 1);
            assertThat(Instant.parse((String) o.get("retry_at"))).isAfter(Instant.now().minusSeconds(5));
        });
        Map<String, Object> dead = (Map<String, Object>) after.get("dead");
        assertThat((List<Map<String, Object>>) dead.get("orders")).singleElement().satisfies(o -> {
            assertThat(o).containsEntry("task_id", normalId).containsEntry("title", "Add CSV export")
                    .containsEntry("reason", "invalid_payload: unreadable");
            assertThat(o.get("dead_at")).isNotNull();
        });

        HttpClientResponseException badLimit = failure(ADMIN, HttpRequest.GET("/api/v1/queue/refactor?limit=0"));
        assertThat(badLimit.getStatus().getCode()).isEqualTo(400);
        assertThat(errorBody(badLimit)).containsEntry("field", "limit");
        HttpClientResponseException badOffset = failure(ADMIN, HttpRequest.GET("/api/v1/queue/refactor?offset=-1"));
        assertThat(errorBody(badOffset)).containsEntry("field", "offset");
        HttpClientResponseException badType = failure(ADMIN, HttpRequest.GET("/api/v1/queue/painting"));
        assertThat(badType.getStatus().getCode()).isEqualTo(400);
        assertThat(errorBody(badType)).containsEntry("field", "type");
        assertThat(failure(FEATURE_KEY, HttpRequest.GET("/api/v1/queue/refactor")).getStatus().getCode()).isEqualTo(403);
    }

    @Test
    void a_change_of_priority_moves_the_waiting_order_to_its_new_level_and_is_refused_with_its_state_once_claimed() {
        String a = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("docs", "P3"))).get("id");
        String b = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("docs", "P3"))).get("id");

        Map<String, Object> patched = call(ADMIN, HttpRequest.PATCH("/api/v1/tasks/" + b, Map.of("priority", "P1")));
        assertThat(patched).containsEntry("priority", "P1").containsEntry("queue", "high");
        List<Map<String, Object>> orders = (List<Map<String, Object>>) ((Map<String, Object>) call(ADMIN,
                HttpRequest.GET("/api/v1/queue/docs")).get("waiting")).get("orders");
        assertThat(orders).extracting(o -> o.get("task_id")).containsExactly(b, a);
        assertThat(orders.get(0)).containsEntry("priority", "P1").containsEntry("level", "high");

        assertThat(queue.claim(TaskType.DOCS, "w-p").orElseThrow().id()).isEqualTo(b);
        HttpClientResponseException claimed = failure(ADMIN, HttpRequest.PATCH("/api/v1/tasks/" + b, Map.of("priority", "P4")));
        assertThat(claimed.getStatus().getCode()).isEqualTo(409);
        assertThat(errorBody(claimed).get("message").toString()).contains("is running in its queue");
        HttpClientResponseException badPriority = failure(ADMIN, HttpRequest.PATCH("/api/v1/tasks/" + a, Map.of("priority", "P7")));
        assertThat(errorBody(badPriority)).containsEntry("field", "priority");
    }
}
