package io.agentvine.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.controller.chains.ChainReleaser;
import io.agentvine.model.Continuation;
import io.agentvine.model.FailureReason;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.model.LifecycleEventType;
import io.agentvine.model.TaskType;
import io.agentvine.model.WorkOrder;
import io.agentvine.queue.Claim;
import io.agentvine.queue.FailResult;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Dependencies, pipelines and follow-ups (issue #21) through the REST API, against a real Redis and a real
 * database; the workers' part is played on the queue and the lifecycle stream as a worker does it. Run on
 * H2 and on PostgreSQL (the subclasses).
 */
abstract class ChainsContractTest extends ApiContractFixture {
    private static final String COMMIT_1 = "1111111111111111111111111111111111111111";
    private static final String COMMIT_2 = "2222222222222222222222222222222222222222";

    @Inject
    ChainReleaser releaser;

    @Inject
    io.agentvine.controller.persistence.TaskChainRepository chains;

    @Test
    void a_pipeline_runs_its_steps_in_order_each_on_the_previous_steps_branch() {
        Map<String, Object> body = pipeline(List.of(
                Map.of("name", "build", "type", "feature", "instructions", "Add the CSV export."),
                Map.of("name", "cover", "type", "test", "instructions", "Test the CSV export."),
                Map.of("name", "check", "type", "review", "instructions", "Review the branch.")));
        Map<String, Object> created = call(ADMIN, HttpRequest.POST("/api/v1/tasks", body));
        List<Map<String, Object>> steps = (List<Map<String, Object>>) created.get("pipeline");
        assertThat(steps).extracting(s -> s.get("step")).containsExactly("build", "cover", "check");
        assertThat(steps).extracting(s -> s.get("state")).containsExactly("queued", "waiting", "waiting");
        String build = id(steps, 0), cover = id(steps, 1), check = id(steps, 2);
        assertThat(created.get("id")).isEqualTo(build);
        assertThat(steps.get(1).get("depends_on")).isEqualTo(List.of(build));
        assertThat(queue.get(TaskType.TEST, cover)).as("a waiting step is not in the queue").isEmpty();

        Map<String, Object> shown = get(cover);
        assertThat(shown).containsEntry("state", "waiting").containsEntry("depends_on", List.of(build));
        assertThat((List<Map<String, Object>>) shown.get("chain")).extracting(c -> c.get("id")).containsExactly(build, cover, check);

        complete(TaskType.FEATURE, build, Map.of("branch", "agentvine/feature/" + build, "commit", COMMIT_1, "pushed", true,
                "pr_url", "https://github.com/acme/shop/pull/7", "summary", "Added CsvExport.", "session_id", "sess-1",
                "agent", "claude-code"));
        awaitState(cover, "queued");
        WorkOrder coverOrder = queued(TaskType.TEST, cover);
        Continuation c = coverOrder.continuation();
        assertThat(c.taskId()).isEqualTo(build);
        assertThat(c.workBranch()).isEqualTo("agentvine/feature/" + build);
        assertThat(c.startCommit()).isEqualTo(COMMIT_1);
        assertThat(c.pullRequestUrl()).isEqualTo("https://github.com/acme/shop/pull/7");
        assertThat(c.sessionId()).isEqualTo("sess-1");
        assertThat(c.summary()).isEqualTo("Added CsvExport.");
        assertThat(get(check)).containsEntry("state", "waiting");

        complete(TaskType.TEST, cover, Map.of("branch", "agentvine/feature/" + build, "commit", COMMIT_2, "pushed", true));
        awaitState(check, "queued");
        Continuation last = queued(TaskType.REVIEW, check).continuation();
        assertThat(last.workBranch()).as("one branch for the whole pipeline").isEqualTo("agentvine/feature/" + build);
        assertThat(last.startCommit()).isEqualTo(COMMIT_2);
        assertThat(last.pullRequestUrl()).as("the pull request passes on").isEqualTo("https://github.com/acme/shop/pull/7");
    }

    @Test
    void a_failed_parent_cancels_its_dependents_and_theirs() {
        List<Map<String, Object>> steps = (List<Map<String, Object>>) call(ADMIN, HttpRequest.POST("/api/v1/tasks", pipeline(List.of(
                Map.of("type", "feature", "instructions", "a"), Map.of("type", "test", "instructions", "b"),
                Map.of("type", "docs", "instructions", "c"))))).get("pipeline");
        String first = id(steps, 0);
        Claim claim = claimOf(TaskType.FEATURE, first);
        var verdict = queue.fail(claim, "tests_failed", FailResult.Disposition.FAIL);
        lifecycle.publish(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.FAILED, first, "w-chain",
                claim.attempt(), Instant.now()).outcome(FailureReason.TESTS_FAILED).queueOutcome(verdict.outcome()).build());
        awaitState(id(steps, 2), "cancelled");
        assertThat(get(id(steps, 1))).containsEntry("state", "cancelled")
                .containsEntry("error", "parent " + first + " failed");
        assertThat(get(id(steps, 2)).get("error")).isEqualTo("parent " + id(steps, 1) + " was cancelled");

        HttpClientResponseException e = failure(ADMIN, HttpRequest.POST("/api/v1/tasks/" + id(steps, 1) + "/retry", ""));
        assertThat(e.getStatus().getCode()).isEqualTo(409);
        assertThat(errorBody(e).get("message").toString()).contains("retry that one first");
    }

    @Test
    void cycles_unknown_steps_and_unknown_or_failed_parents_are_refused_with_400() {
        HttpClientResponseException cycle = failure(ADMIN, HttpRequest.POST("/api/v1/tasks", pipeline(List.of(
                Map.of("name", "a", "type", "feature", "depends_on", List.of("c")),
                Map.of("name", "b", "type", "test", "depends_on", List.of("a")),
                Map.of("name", "c", "type", "review", "depends_on", List.of("b"))))));
        assertThat(cycle.getStatus().getCode()).isEqualTo(400);
        assertThat(errorBody(cycle).get("field").toString()).matches("pipeline\\[\\d]\\.depends_on");
        assertThat(errorBody(cycle).get("message").toString()).contains("cycle");

        HttpClientResponseException unknownStep = failure(ADMIN, HttpRequest.POST("/api/v1/tasks", pipeline(List.of(
                Map.of("name", "a", "type", "feature"), Map.of("name", "b", "type", "test", "depends_on", List.of("z"))))));
        assertThat(errorBody(unknownStep)).containsEntry("field", "pipeline[1].depends_on");

        Map<String, Object> orphan = new HashMap<>(task("feature", "P2"));
        orphan.put("depends_on", List.of("t-no-such-task"));
        HttpClientResponseException unknown = failure(ADMIN, HttpRequest.POST("/api/v1/tasks", orphan));
        assertThat(unknown.getStatus().getCode()).isEqualTo(400);
        assertThat(errorBody(unknown)).containsEntry("field", "depends_on");
        assertThat(errorBody(unknown).get("message").toString()).contains("t-no-such-task");

        String cancelled = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("docs", "P2"))).get("id");
        call(ADMIN, HttpRequest.DELETE("/api/v1/tasks/" + cancelled));
        Map<String, Object> late = new HashMap<>(task("feature", "P2"));
        late.put("depends_on", List.of(cancelled));
        assertThat(errorBody(failure(ADMIN, HttpRequest.POST("/api/v1/tasks", late))).get("message").toString())
                .contains("is cancelled");
    }

    @Test
    void depends_on_waits_for_every_parent_and_a_cancelled_waiting_task_is_retried_into_waiting_again() {
        String a = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("bugfix", "P2"))).get("id");
        String b = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("bugfix", "P2"))).get("id");
        Map<String, Object> both = new HashMap<>(task("docs", "P2"));
        both.put("depends_on", List.of(a, b));
        Map<String, Object> made = call(ADMIN, HttpRequest.POST("/api/v1/tasks", both));
        String child = (String) made.get("id");
        assertThat(made).containsEntry("state", "waiting");
        assertThat(made.get("note").toString()).contains(a).contains(b);

        assertThat(call(ADMIN, HttpRequest.DELETE("/api/v1/tasks/" + child))).containsEntry("state", "cancelled");
        assertThat(call(ADMIN, HttpRequest.POST("/api/v1/tasks/" + child + "/retry", ""))).containsEntry("state", "waiting");

        complete(TaskType.BUGFIX, a, Map.of("branch", "agentvine/bugfix/" + a, "pushed", false, "no_changes", true));
        releaser.runOnce();
        assertThat(get(child)).as("one parent of two completed").containsEntry("state", "waiting");
        complete(TaskType.BUGFIX, b, Map.of("branch", "agentvine/bugfix/" + b, "commit", COMMIT_1, "pushed", true));
        awaitState(child, "queued");
        assertThat(queued(TaskType.DOCS, child).continuation())
                .as("depends_on alone continues no branch").isNull();
    }

    @Test
    void releasing_is_idempotent_when_the_order_is_in_the_queue_already() {
        String parent = create("feature");
        String child = dependent("docs", parent);
        // a release whose enqueue went through but whose commit was lost (the controller died in between)
        queue.enqueue(WorkOrder.builder(child, TaskType.DOCS).taskId(child).repositoryUrl("https://git.example.com/acme/shop.git")
                .branch("main").title("Add CSV export").build());
        complete(TaskType.FEATURE, parent, Map.of("branch", "agentvine/feature/" + parent, "pushed", false));
        awaitState(child, "queued");
        assertThat(queue.get(TaskType.DOCS, child)).as("the order enqueued before stays the task's one order").isPresent();
    }

    @Test
    void a_follow_up_continues_the_branch_waits_for_an_unfinished_parent_and_chains_are_bounded() {
        Map<String, Object> root = new HashMap<>(task("feature", "P2"));
        root.put("max_follow_ups", 2);
        String parent = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", root)).get("id");

        Map<String, Object> early = call(ADMIN, HttpRequest.POST("/api/v1/tasks/" + parent + "/follow-ups",
                Map.of("instructions", "Also handle the empty cart.")));
        String f1 = (String) early.get("id");
        assertThat(early).containsEntry("state", "waiting");
        assertThat(get(f1)).containsEntry("title", "Follow-up: Add CSV export").containsEntry("type", "feature");

        complete(TaskType.FEATURE, parent, Map.of("branch", "agentvine/feature/" + parent, "commit", COMMIT_1, "pushed", true,
                "summary", "Export written."));
        awaitState(f1, "queued");
        Continuation c = queued(TaskType.FEATURE, f1).continuation();
        assertThat(c.workBranch()).isEqualTo("agentvine/feature/" + parent);
        assertThat(c.summary()).isEqualTo("Export written.");

        Map<String, Object> second = call(ADMIN, HttpRequest.POST("/api/v1/tasks/" + parent + "/follow-ups",
                Map.of("instructions", "And the docs.", "type", "docs", "title", "Docs for the export")));
        assertThat(second).as("a completed parent: queued at once").containsEntry("state", "queued");
        assertThat(queued(TaskType.DOCS, (String) second.get("id")).continuation().startCommit())
                .isEqualTo(COMMIT_1);
        assertThat((List<Map<String, Object>>) get(parent).get("chain")).extracting(m -> m.get("id"))
                .containsExactly(parent, f1, second.get("id"));

        HttpClientResponseException bounded = failure(ADMIN, HttpRequest.POST("/api/v1/tasks/" + f1 + "/follow-ups",
                Map.of("instructions", "One more.")));
        assertThat(bounded.getStatus().getCode()).isEqualTo(409);
        assertThat(errorBody(bounded).get("message").toString()).contains("max_follow_ups");

        HttpClientResponseException noInstructions = failure(ADMIN, HttpRequest.POST("/api/v1/tasks/" + parent + "/follow-ups",
                Map.of("title", "x")));
        assertThat(errorBody(noInstructions)).containsEntry("field", "instructions");
    }

    @Test
    void follow_ups_made_at_once_join_one_chain_and_never_pass_its_max_follow_ups() throws Exception {
        // a task made on its own: the first follow-ups make its chain row at the same time
        String alone = create("feature");
        List<Integer> loose = postAtOnce(alone, 4);
        assertThat(loose).as("no follow-up lost to the chain row's race").containsOnly(201);
        assertThat((List<Map<String, Object>>) get(alone).get("chain")).hasSize(5);

        Map<String, Object> root = new HashMap<>(task("feature", "P2"));
        root.put("max_follow_ups", 2);
        String bounded = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", root)).get("id");
        List<Integer> codes = postAtOnce(bounded, 6);
        assertThat(codes).as("two follow-ups, the rest refused: " + codes).containsOnly(201, 409);
        assertThat(codes.stream().filter(c -> c == 409).count()).isEqualTo(4);
        assertThat((List<Map<String, Object>>) get(bounded).get("chain")).hasSize(3);

        // the same follow-up sent twice at once (a client's retry): one task, both answered with it
        Map<String, Object> retried = Map.of("instructions", "Once only.", "idempotency_key", "fu-" + UUID.randomUUID());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Object>> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                ids.add(pool.submit(() -> {
                    go.await();
                    return call(ADMIN, HttpRequest.POST("/api/v1/tasks/" + alone + "/follow-ups", retried)).get("id");
                }));
            }
            go.countDown();
            assertThat(ids.get(0).get()).isNotNull().isEqualTo(ids.get(1).get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_task_whose_parents_ended_is_released_however_many_older_tasks_still_wait() {
        String waitsLong = dependent("docs", create("feature"));
        String done = create("feature");
        String ready = dependent("docs", done);
        complete(TaskType.FEATURE, done, Map.of("branch", "agentvine/feature/" + done, "pushed", false));
        awaitState(ready, "queued");

        // a pass reads only the waiting tasks it can decide: one still waiting for its parent never fills its batch
        assertThat(chains.waitingParents(500)).extracting(p -> p.taskId()).doesNotContain(waitsLong);
        releaser.runOnce();
        assertThat(get(waitsLong)).containsEntry("state", "waiting");
    }

    private String create(String type) {
        return (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", task(type, "P2"))).get("id");
    }

    /** A task of {@code type} that waits for {@code parents}. */
    private String dependent(String type, String... parents) {
        Map<String, Object> t = new HashMap<>(task(type, "P2"));
        t.put("depends_on", List.of(parents));
        return (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", t)).get("id");
    }

    private List<Integer> postAtOnce(String parent, int n) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Integer>> codes = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                codes.add(pool.submit(() -> {
                    go.await();
                    try {
                        return http.toBlocking().exchange(as(ADMIN, HttpRequest.POST("/api/v1/tasks/" + parent + "/follow-ups",
                                Map.of("instructions", "Part " + k + "."))), String.class).code();
                    } catch (HttpClientResponseException e) {
                        return e.getStatus().getCode();
                    }
                }));
            }
            go.countDown();
            List<Integer> out = new java.util.ArrayList<>();
            for (var f : codes) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_worker_keeps_a_tasks_agent_session_and_any_worker_reads_it_back() {
        String id = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("feature", "P2"))).get("id");
        String archive = java.util.Base64.getEncoder().encodeToString("a zip".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Map<String, Object> state = Map.of("agent", "claude-code", "session_id", "sess-9", "archive", archive);
        assertThat(failure(FEATURE_KEY, HttpRequest.GET("/api/v1/tasks/" + id + "/agent-session")).getStatus().getCode())
                .as("none kept yet").isEqualTo(404);
        call(FEATURE_KEY, HttpRequest.PUT("/api/v1/tasks/" + id + "/agent-session", state));
        assertThat(call(OTHER_KEY, HttpRequest.GET("/api/v1/tasks/" + id + "/agent-session")))
                .containsEntry("session_id", "sess-9").containsEntry("archive", archive).containsEntry("agent", "claude-code");
        call(FEATURE_KEY, HttpRequest.PUT("/api/v1/tasks/" + id + "/agent-session", Map.of("agent", "claude-code",
                "session_id", "sess-10", "archive", archive)));
        assertThat(call(ADMIN, HttpRequest.GET("/api/v1/tasks/" + id + "/agent-session"))).as("the latest attempt's")
                .containsEntry("session_id", "sess-10");

        String docs = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("docs", "P2"))).get("id");
        HttpClientResponseException foreign = failure(FEATURE_KEY, HttpRequest.PUT("/api/v1/tasks/" + docs + "/agent-session", state));
        assertThat(foreign.getStatus().getCode()).as("a key that does not serve the type").isEqualTo(403);
        HttpClientResponseException bad = failure(FEATURE_KEY, HttpRequest.PUT("/api/v1/tasks/" + id + "/agent-session",
                Map.of("agent", "claude-code", "session_id", "../x", "archive", archive)));
        assertThat(errorBody(bad)).containsEntry("field", "session_id");
    }

    // ---- helpers ----------------------------------------------------------------------------

    private Map<String, Object> pipeline(List<Map<String, Object>> steps) {
        Map<String, Object> body = new HashMap<>(task("feature", "P2"));
        body.remove("type");
        body.remove("instructions");
        body.put("pipeline", steps);
        return body;
    }

    private static String id(List<Map<String, Object>> steps, int i) {
        return (String) steps.get(i).get("id");
    }

    /** The order of {@code id} as it waits in the queue. */
    private WorkOrder queued(TaskType type, String id) {
        return io.agentvine.model.Json.read(queue.get(type, id).orElseThrow().payload(), WorkOrder.class);
    }

    private Map<String, Object> get(String id) {
        return call(ADMIN, HttpRequest.GET("/api/v1/tasks/" + id));
    }

    private void awaitState(String id, String state) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> state.equals(get(id).get("state")));
    }

    /** Claims {@code id}; orders other tests of the class left in the same queue are claimed and acked on the way. */
    private Claim claimOf(TaskType type, String id) {
        while (true) {
            Claim claim = queue.claim(type, "w-chain").orElseThrow(() -> new AssertionError(id + " is not in the queue"));
            if (claim.id().equals(id)) {
                return claim;
            }
            queue.ack(claim);
        }
    }

    /** A worker claims the task, runs it and reports it completed with {@code result}. */
    private void complete(TaskType type, String id, Map<String, Object> result) {
        Claim claim = claimOf(type, id);
        lifecycle.publish(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.STARTED, id, "w-chain",
                claim.attempt(), Instant.now()).taskType(type).claimedAt(Instant.now()).build());
        queue.ack(claim);
        lifecycle.publish(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.COMPLETED, id, "w-chain",
                claim.attempt(), Instant.now()).taskType(type).result(result).build());
        awaitState(id, "completed");
    }
}
