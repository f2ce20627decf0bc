package io.agentvine.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentvine.controller.history.EventLog;
import io.agentvine.model.Json;
import io.agentvine.worker.clarify.Approvals;
import io.agentvine.worker.delivery.PullRequests;
import io.agentvine.worker.delivery.RecordingGitHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The run's step as the controller sees it: the worker's step_changed events, in order, become the
 * controller's task_step events; while a run is on, the task and the worker's card show its step. A real
 * controller, Redis, git repository and agent (the demo agent, or a script).
 */
class RunStepsTest extends FleetTestBase {

    /** The steps the controller announced for {@code task}, in the order it wrote them. */
    private List<String> steps(String task) {
        return fleet.controller.getApplicationContext().getBean(EventLog.class).after(0).stream()
                .filter(e -> e.type().equals("task_step") && task.equals(e.taskId()))
                .map(e -> (String) Json.read(e.payload(), Map.class).get("step")).toList();
    }

    @Test
    void a_supervised_demo_run_goes_through_its_steps_in_order_each_announced_once() throws Exception {
        try (var github = new RecordingGitHub()) {
            fleet.startWorker(Map.of("AGENTVINE_AGENT", "demo"), null, new PullRequests(github.apiBase(), "ghp-test-token"));
            String task = (String) fleet.api("POST", "/api/v1/tasks", "{\"type\":\"feature\",\"repository_url\":\"" + fleet.bare.toUri()
                    + "\",\"branch\":\"main\",\"title\":\"Demo feature\",\"instructions\":\"Add a demo feature.\","
                    + "\"permission_level\":\"supervised\",\"test_command\":\"true\","
                    + "\"metadata\":{\"github_repository\":\"acme/shop\"}}").get("id");

            await().atMost(Duration.ofSeconds(60)).until(() -> "completed".equals(fleet.state(task)));

            assertThat(fleet.result(task)).containsEntry("demo_agent", true).containsKey("pr_url");
            await().atMost(Duration.ofSeconds(10)).until(() -> steps(task).contains("finishing"));
            assertThat(steps(task)).containsExactly("preparing", "cloning", "agent_running", "testing", "committing", "pushing",
                    "pull_request", "finishing");
            Map<String, Object> shown = fleet.task(task);
            assertThat(shown.get("step")).as("a completed task has no step").isNull();
        }
    }

    @Test
    void a_human_required_run_waits_for_approval_as_a_step_and_the_task_shows_it_meanwhile() throws Exception {
        ApprovalAndWatchTest.ScriptedOperator operator = new ApprovalAndWatchTest.ScriptedOperator();
        fleet.startWorker(Map.of("AGENTVINE_AGENT", "command", "AGENTVINE_AGENT_COMMAND",
                fleet.agent("echo notes > NOTES.md\n").toString()), operator, null);
        String task = fleet.createTask("docs", "Write notes", "Write NOTES.md.", "human_required", null);

        Approvals.Request request = operator.requests.poll(90, TimeUnit.SECONDS);
        assertThat(request).as("an approval was asked for").isNotNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> "waiting_for_approval".equals(fleet.task(task).get("step")));
        // the step (a heartbeat or a step event) and the awaiting_approval lifecycle event travel apart: either comes first
        await().atMost(Duration.ofSeconds(10)).until(() -> "awaiting_approval".equals(fleet.state(task)));

        operator.decide(Approvals.Decision.APPROVED, "fine");

        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(fleet.state(task)));
        await().atMost(Duration.ofSeconds(10)).until(() -> steps(task).contains("finishing"));
        assertThat(steps(task)).containsExactly("preparing", "cloning", "agent_running", "committing", "waiting_for_approval",
                "pushing", "finishing");
    }

    @Test
    void an_agents_question_is_a_waiting_step_and_the_run_goes_back_to_the_agent_once_answered() throws Exception {
        fleet.startWorker(Map.of("AGENTVINE_AGENT", "command", "AGENTVINE_AGENT_COMMAND", fleet.agent("""
                answer=$(vine-ask "Which cache?" --option redis --option memcached)
                printf '%s\\n' "$answer" > ANSWER.md
                """).toString()));
        String task = fleet.createTask("feature", "Add a session cache", "Cache sessions.", "autonomous", null);

        await().atMost(Duration.ofSeconds(60)).until(() -> "waiting_for_answer".equals(fleet.task(task).get("step")));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> pending = Json.mapper().readValue(fleet.call("GET",
                "/api/v1/clarifications?status=pending", null).body(), List.class);
        assertThat(pending).singleElement().satisfies(q -> assertThat(q).containsEntry("task_id", task));
        assertThat(fleet.call("POST", "/api/v1/clarifications/" + pending.get(0).get("id") + "/answer",
                "{\"answer\":\"redis\"}").statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(fleet.state(task)));
        await().atMost(Duration.ofSeconds(10)).until(() -> steps(task).contains("finishing"));
        // A step is announced once, and not at all when a later one reached the controller first: the step events
        // travel on the lifecycle stream, the heartbeats over HTTP, and a short step (committing takes milliseconds)
        // is passed by the next one's heartbeat when the lifecycle consumer lags (CI saw it on a loaded machine).
        assertThat(steps(task)).containsSubsequence("preparing", "cloning", "agent_running", "waiting_for_answer", "agent_running",
                "pushing", "finishing").hasSizeBetween(7, 9);
    }

    @Test
    void while_the_agent_runs_the_workers_card_shows_its_task_title_repository_and_step() throws Exception {
        Path release = tmp.resolve("release-the-agent");
        fleet.startWorker(Map.of("AGENTVINE_AGENT", "command", "AGENTVINE_AGENT_COMMAND", fleet.agent(
                "while [ ! -f '" + release + "' ]; do sleep 0.05; done\necho done > DONE.md\n").toString()));
        String task = fleet.createTask("bugfix", "Fix the totals", "Fix the rounding.", "autonomous", null);

        await().atMost(Duration.ofSeconds(30)).until(() -> "agent_running".equals(fleet.task(task).get("step")));
        Map<String, Object> card = await().atMost(Duration.ofSeconds(10)).until(() -> runningCard(task),
                c -> c != null && "agent_running".equals(c.get("step")));
        assertThat(card).containsEntry("title", "Fix the totals").containsEntry("repository", fleet.task(task).get("repository_url"))
                .containsEntry("type", "bugfix").containsEntry("attempt", 1);
        assertThat(Instant.parse((String) card.get("step_since"))).isAfterOrEqualTo(Instant.parse((String) card.get("started_at")));

        Files.writeString(release, "go");
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(fleet.state(task)));
        assertThat(fleet.task(task).get("step")).isNull();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> runningCard(String task) throws Exception {
        String body = fleet.call("GET", "/api/v1/workers", null).body();
        for (Map<String, Object> w : (List<Map<String, Object>>) Json.read(body, List.class)) {
            for (Map<String, Object> t : (List<Map<String, Object>>) w.get("current_tasks")) {
                if (task.equals(t.get("task_id"))) {
                    return t;
                }
            }
        }
        return null;
    }
}
