package io.agentvine.worker.clarify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentvine.model.ClarificationRequest;
import io.agentvine.model.Json;
import io.agentvine.queue.ClarificationStreams;
import io.agentvine.worker.runtime.FleetTestBase;
import io.agentvine.worker.runtime.TestFleet;
import io.lettuce.core.Range;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The clarification round trip with every part real: a scripted agent asks with {@code vine-ask},
 * the question travels over Redis streams to the controller, the test answers through the API as an
 * operator would, and the answer reaches the agent, whose run goes on.
 */
@SuppressWarnings("unchecked")
class ClarificationEndToEndTest extends FleetTestBase {
    /** Asks, then writes what it got (answer, or the exit status of an unanswered question) into ANSWER.md. */
    static final String ASKING_AGENT = """
            set +e
            answer=$(vine-ask "Which cache should the session store use?" --option redis --option memcached --context "sessions are 2 KB")
            code=$?
            set -e
            echo "vine-ask exit $code: $answer"
            printf '%s\\n' "$answer" > ANSWER.md
            [ $code -ne 4 ]
            """;

    private Map<String, String> asking() throws Exception {
        return Map.of("AGENTVINE_AGENT", "command", "AGENTVINE_AGENT_COMMAND", fleet.agent(ASKING_AGENT).toString());
    }

    private List<Map<String, Object>> pending() throws Exception {
        return Json.mapper().readValue(fleet.call("GET", "/api/v1/clarifications?status=pending", null).body(), List.class);
    }

    private Map<String, Object> awaitPending() {
        return await().atMost(Duration.ofSeconds(30)).until(() -> pending().stream().findFirst(), Optional::isPresent).get();
    }

    private HttpResponse<String> answer(String id, String json) throws Exception {
        return fleet.call("POST", "/api/v1/clarifications/" + id + "/answer", json);
    }

    @Test
    void an_agent_asks_an_operator_answers_through_the_api_and_the_run_goes_on_with_the_answer() throws Exception {
        fleet.startWorker(asking());
        String task = fleet.createTask("feature", "Add a session cache", "Cache sessions.", "autonomous", null);

        Map<String, Object> q = awaitPending();
        assertThat(q).containsEntry("task_id", task).containsEntry("task_title", "Add a session cache").containsEntry("kind", "question")
                .containsEntry("question", "Which cache should the session store use?")
                .containsEntry("options", List.of("redis", "memcached")).containsEntry("repository_url", fleet.bare.toUri().toString());
        assertThat((Map<String, Object>) q.get("context")).containsEntry("note", "sessions are 2 KB");

        HttpResponse<String> r = answer((String) q.get("id"), "{\"answer\":\"redis, with a 30 minute TTL\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(fleet.state(task)));
        assertThat(TestFleet.git(fleet.bare, "show", "agentvine/feature/" + task + ":ANSWER.md")).isEqualTo("redis, with a 30 minute TTL");
        assertThat(fleet.log(task)).contains("vine-ask exit 0: redis, with a 30 minute TTL");
        Map<String, Object> answered = fleet.api("GET", "/api/v1/clarifications/" + q.get("id"), null);
        assertThat(answered).containsEntry("status", "answered").containsEntry("answer", "redis, with a 30 minute TTL");
        assertThat(answered.get("answered_by").toString()).as("the key's name, never the key").isNotBlank().doesNotContain(fleet.admin);

        HttpResponse<String> second = answer((String) q.get("id"), "{\"answer\":\"memcached\"}");
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(second.body()).contains("is already answered").contains("a decision is final");
    }

    @Test
    void an_unanswered_question_expires_and_with_the_continue_policy_the_agent_goes_on_on_its_own_judgement() throws Exception {
        fleet.startWorker(asking());
        String task = fleet.createTask("feature", "Guess", "Decide.", "autonomous", "\"metadata\":{\"clarification_timeout_seconds\":2}");

        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(fleet.state(task)));
        assertThat(TestFleet.git(fleet.bare, "show", "agentvine/feature/" + task + ":ANSWER.md"))
                .startsWith("NO ANSWER (").contains("Continue on your own judgement");
        assertThat(fleet.log(task)).contains("vine-ask exit 3");
        List<Map<String, Object>> all = Json.mapper().readValue(fleet.call("GET", "/api/v1/clarifications?task_id=" + task, null).body(),
                List.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> "expired".equals(Json.mapper().readValue(fleet.call("GET",
                "/api/v1/clarifications/" + all.get(0).get("id"), null).body(), Map.class).get("status")));
        HttpResponse<String> late = answer((String) all.get(0).get("id"), "{\"answer\":\"too late\"}");
        assertThat(late.statusCode()).isEqualTo(409);
    }

    @Test
    void an_unanswered_question_with_the_fail_policy_ends_the_task_as_needs_clarification() throws Exception {
        fleet.startWorker(asking());
        String task = fleet.createTask("feature", "Must ask", "Decide.", "autonomous",
                "\"metadata\":{\"clarification_timeout_seconds\":2,\"clarification_policy\":\"fail\"}");

        await().atMost(Duration.ofSeconds(30)).until(() -> List.of("failed", "dead").contains(fleet.state(task)));
        assertThat(fleet.task(task).get("error").toString()).startsWith("needs_clarification");
        assertThat(TestFleet.git(fleet.bare, "branch", "--list", "agentvine/*")).isEmpty();
    }

    @Test
    void a_question_pending_across_a_controller_restart_is_still_there_and_its_answer_still_arrives() throws Exception {
        fleet.startWorker(asking());
        String task = fleet.createTask("feature", "Survive a restart", "Ask.", "autonomous", null);
        Map<String, Object> q = awaitPending();

        fleet.restartController();

        assertThat(pending()).extracting(p -> p.get("id")).containsExactly(q.get("id"));
        assertThat(answer((String) q.get("id"), "{\"answer\":\"memcached\"}").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(fleet.state(task)));
        assertThat(TestFleet.git(fleet.bare, "show", "agentvine/feature/" + task + ":ANSWER.md")).isEqualTo("memcached");
    }

    @Test
    void a_question_sent_while_the_controller_is_down_is_stored_once_it_is_back() throws Exception {
        Path started = tmp.resolve("started");
        Path proceed = tmp.resolve("proceed");
        fleet.startWorker(Map.of("AGENTVINE_AGENT", "command", "AGENTVINE_AGENT_COMMAND", fleet.agent("touch " + started
                + "\nwhile [ ! -f " + proceed + " ]; do sleep 0.1; done\n" + ASKING_AGENT).toString()));
        String task = fleet.createTask("feature", "Ask while down", "Ask.", "autonomous", null);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(started));

        fleet.stopController();
        Files.createFile(proceed); // the agent asks now: the request waits in the stream
        await().atMost(Duration.ofSeconds(30)).until(() -> requestsWaitingInTheStream().contains(task));
        assertThat(fleet.controller).as("asked while the controller was down").isNull();
        fleet.restartController();

        Map<String, Object> q = awaitPending();
        assertThat(q).containsEntry("task_id", task);
        assertThat(answer((String) q.get("id"), "{\"answer\":\"redis\"}").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(fleet.state(task)));
    }

    /** The task ids of the requests in the controller's request stream, not yet read by any controller. */
    private List<String> requestsWaitingInTheStream() {
        try (var c = fleet.redis.connect()) {
            return c.sync().xrange(ClarificationStreams.requestsKey(fleet.namespace), Range.create("-", "+")).stream()
                    .map(m -> Json.read(m.getBody().get(ClarificationStreams.REQUEST_FIELD), ClarificationRequest.class).taskId())
                    .toList();
        }
    }

    @Test
    void a_worker_killed_while_waiting_leaves_an_orphaned_question_whose_late_answer_gets_409() throws Exception {
        Process jvm = fleet.workerJvm("doomed", asking());
        try {
            String task = fleet.createTask("feature", "Die waiting", "Ask.", "autonomous", null);
            Map<String, Object> q = awaitPending();

            jvm.destroyForcibly(); // kill -9 while the agent waits for its answer
            jvm.waitFor();

            // The lease expires, the order is recovered and queued again; the question is orphaned.
            await().atMost(Duration.ofSeconds(30)).until(() -> "queued".equals(fleet.state(task)));
            HttpResponse<String> late = answer((String) q.get("id"), "{\"answer\":\"redis\"}");
            assertThat(late.statusCode()).isEqualTo(409);
            assertThat(late.body()).contains("orphaned");
            assertThat(fleet.api("GET", "/api/v1/clarifications/" + q.get("id"), null)).containsEntry("status", "orphaned");
        } finally {
            jvm.destroyForcibly();
            ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(tmp.toString()))
                    .forEach(ProcessHandle::destroyForcibly); // a SIGKILLed JVM cannot stop its agent
        }
    }

    @Test
    void an_approval_request_carries_the_diff_and_a_rejection_pushes_nothing_while_an_approval_pushes() throws Exception {
        fleet.startWorker(Map.of("AGENTVINE_AGENT", "command", "AGENTVINE_AGENT_COMMAND",
                fleet.agent("echo \"change for $AGENTVINE_TASK_ID\" > CHANGE.md\n").toString()));
        String rejected = fleet.createTask("feature", "Risky", "Change.", "human_required", null);
        Map<String, Object> first = awaitPending();
        assertThat(first).containsEntry("kind", "approval").containsEntry("changed_files", List.of("CHANGE.md"))
                .containsEntry("options", List.of("approve", "reject"));
        assertThat(first.get("diff_summary").toString()).contains("add    CHANGE.md (+1 -0)").contains("+change for " + rejected);
        // The lifecycle event and the approval request travel on different streams: either may be read first.
        await().atMost(Duration.ofSeconds(30)).until(() -> "awaiting_approval".equals(fleet.state(rejected)));
        HttpResponse<String> bad = answer((String) first.get("id"), "{\"decision\":\"maybe\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("must be approve or reject");

        assertThat(answer((String) first.get("id"), "{\"decision\":\"reject\",\"answer\":\"not before the release\"}").statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> List.of("failed", "dead").contains(fleet.state(rejected)));
        assertThat(fleet.task(rejected).get("error").toString()).startsWith("rejected").contains("not before the release");
        assertThat(TestFleet.git(fleet.bare, "branch", "--list", "agentvine/*")).isEmpty();

        String approved = fleet.createTask("feature", "Safe", "Change.", "human_required", null);
        Map<String, Object> second = awaitPending();
        assertThat(answer((String) second.get("id"), "{\"decision\":\"approve\"}").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(fleet.state(approved)));
        assertThat(TestFleet.git(fleet.bare, "show", "agentvine/feature/" + approved + ":CHANGE.md")).isEqualTo("change for " + approved);
    }
}
