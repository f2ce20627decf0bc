package io.agentvine.worker.parking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentvine.model.Json;
import io.agentvine.worker.runtime.FleetTestBase;
import io.agentvine.worker.runtime.TestFleet;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Questions that wait (issue #21): a run whose question is not answered within its park-after saves its work on
 * a private ref, keeps its session, and frees its worker; the answer sends the order back, and whichever worker
 * claims it puts the work and the session back and resumes the agent with the answer. Real controller, Redis,
 * bare repository and workers; the agent is the recorded Claude Code CLI of the executor tests, extended to check
 * {@code --resume} and the resumed session.
 */
@SuppressWarnings("unchecked")
class ParkedRunsEndToEndTest extends FleetTestBase {
    private static final String SID = "2317940f-630c-4ced-8762-91be89159f7c"; // the recording's session_id

    /**
     * A recorded Claude Code CLI: a fresh session writes its session file where Claude Code keeps it, prints the
     * init line (its session id), saves some work and asks; a resumed one insists on its session, writes the answer
     * its prompt carries, and prints the recorded success. A prompt naming OTHER-TASK is another task: it just works.
     */
    private Path claude() throws Exception {
        Path recording = Path.of(getClass().getResource("/agent-output/claude-success.jsonl").toURI());
        return fleet.agent(String.join("\n",
                "project=\"$CLAUDE_CONFIG_DIR/projects/$(pwd -P | sed 's/[^A-Za-z0-9]/-/g')\"",
                "resume=$(printf '%s\\n' \"$@\" | sed -n 's/^--resume=//p')",
                "prompt=$(cat)",
                "if printf '%s' \"$prompt\" | grep -q OTHER-TASK; then echo other > OTHER.md; cat " + recording + "; exit 0; fi",
                "if [ -n \"$resume\" ]; then",
                "  grep -q 'turn one' \"$project/$resume.jsonl\" || { echo \"no session $resume in $project\" >&2; exit 65; }",
                "  printf '%s\\n' \"$prompt\" > " + tmp.resolve("resumed-prompt.md"),
                "  echo \"after: $(printf '%s\\n' \"$prompt\" | sed -n 's/^The answer: //p')\" >> WORK.md",
                "  echo \"resumed $resume\" >> SESSION.md",
                "  cat " + recording,
                "else",
                "  mkdir -p \"$project\"",
                "  echo '{\"type\":\"user\",\"message\":\"turn one\"}' > \"$project/" + SID + ".jsonl\"",
                "  head -1 " + recording,
                "  echo before > WORK.md",
                "  echo started > SESSION.md",
                "  vine-ask \"Which colour should the button be?\"",
                "fi", ""));
    }

    private Map<String, String> worker(String name, Path cli) {
        return Map.of("AGENTVINE_AGENT", "claude-code", "AGENTVINE_AGENT_BINARY", cli.toString(), "AGENTVINE_WORKER_NAME", name,
                "AGENTVINE_PARK_AFTER", "0", "AGENTVINE_MAX_CONCURRENT_TASKS", "1");
    }

    private Map<String, Object> pendingOf(String task) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> ((List<Map<String, Object>>) Json.mapper().readValue(
                fleet.call("GET", "/api/v1/clarifications?status=pending&task_id=" + task, null).body(), List.class))
                .stream().findFirst(), Optional::isPresent).get();
    }

    private void until(String task, String state) {
        await().atMost(Duration.ofSeconds(60)).until(() -> state.equals(fleet.state(task)));
    }

    private HttpResponse<String> answer(String id, String json) throws Exception {
        return fleet.call("POST", "/api/v1/clarifications/" + id + "/answer", json);
    }

    @Test
    void a_parked_question_frees_the_slot_survives_a_controller_restart_and_resumes_on_another_worker_with_the_answer()
            throws Exception {
        Path cli = claude();
        var first = fleet.startWorkerWithAgentEnvironment(worker("w-first", cli),
                Map.of("CLAUDE_CONFIG_DIR", tmp.resolve("claude-a").toString()));
        String task = fleet.createTask("feature", "Colour the button", "Make the button a colour.", "autonomous", null);
        Map<String, Object> question = pendingOf(task);
        until(task, "parked");
        String branch = "agentvine/feature/" + task;
        String saved = TestFleet.git(fleet.bare, "rev-parse", "refs/agentvine/parked/" + task);
        assertThat(TestFleet.git(fleet.bare, "show", saved + ":WORK.md")).as("the work so far, saved on the private ref")
                .isEqualTo("before");

        // the worker's only slot is free: another task runs on it while the question waits
        String other = fleet.createTask("docs", "Other", "OTHER-TASK", "autonomous", null);
        until(other, "completed");
        assertThat(fleet.state(task)).isEqualTo("parked");
        first.close();

        fleet.restartController(); // parked across a restart: nothing is lost
        assertThat(fleet.state(task)).isEqualTo("parked");
        fleet.startWorkerWithAgentEnvironment(worker("w-second", cli), Map.of("CLAUDE_CONFIG_DIR", tmp.resolve("claude-b").toString()));
        HttpResponse<String> r = answer((String) question.get("id"), "{\"answer\":\"blue\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        until(task, "completed");

        assertThat(fleet.result(task)).containsEntry("resumed_session", SID).containsEntry("branch", branch).containsEntry("pushed", true);
        assertThat(TestFleet.git(fleet.bare, "show", branch + ":WORK.md")).isEqualTo("before\nafter: blue");
        assertThat(TestFleet.git(fleet.bare, "show", branch + ":SESSION.md")).isEqualTo("started\nresumed " + SID);
        assertThat(TestFleet.git(fleet.bare, "rev-list", "--count", "main.." + branch)).as("the parked work and the resumed work")
                .isEqualTo("2");
        assertThat(TestFleet.git(fleet.bare, "rev-parse", branch + "~1")).isEqualTo(saved);
        assertThat(Files.readString(tmp.resolve("resumed-prompt.md"))).contains("Which colour should the button be?")
                .contains("The answer: blue");
        assertThat(TestFleet.git(fleet.bare, "for-each-ref", "refs/agentvine/")).as("the private ref goes once delivered").isEmpty();
        Map<String, Object> answered = fleet.api("GET", "/api/v1/clarifications/" + question.get("id"), null);
        assertThat(answered).containsEntry("status", "answered").containsEntry("answer", "blue");
    }

    @Test
    void a_parked_question_that_expires_follows_the_policy_a_fresh_session_gets_the_question_and_no_answer() throws Exception {
        String agent = """
                if [ -f ASKED ]; then cp "$AGENTVINE_PROMPT_FILE" "%s"; echo resumed >> ASKED; exit 0; fi
                echo asked > ASKED
                vine-ask "Which colour should the button be?"
                """.formatted(tmp.resolve("resumed-prompt.md"));
        fleet.startWorker(Map.of("AGENTVINE_AGENT", "command", "AGENTVINE_AGENT_COMMAND", fleet.agent(agent).toString(),
                "AGENTVINE_PARK_AFTER", "0"));
        String goesOn = fleet.createTask("feature", "Guess", "Decide.", "autonomous",
                "\"metadata\":{\"clarification_timeout_seconds\":3}");
        String stops = fleet.createTask("feature", "Must ask", "Decide.", "autonomous",
                "\"metadata\":{\"clarification_timeout_seconds\":3,\"clarification_policy\":\"fail\"}");

        until(goesOn, "completed");
        assertThat(Files.readString(tmp.resolve("resumed-prompt.md"))).contains("This run resumes earlier work of this task")
                .contains("Which colour should the button be?").contains("NO ANSWER (nobody decided before");
        assertThat(TestFleet.git(fleet.bare, "show", "agentvine/feature/" + goesOn + ":ASKED")).isEqualTo("asked\nresumed");
        await().atMost(Duration.ofSeconds(60)).until(() -> List.of("failed", "dead").contains(fleet.state(stops)));
        assertThat(fleet.task(stops).get("error").toString()).startsWith("needs_clarification");
        assertThat(TestFleet.git(fleet.bare, "branch", "--list", "agentvine/feature/" + stops)).isEmpty();
    }

    @Test
    void an_approval_parks_the_same_way_and_the_approved_change_is_pushed_by_whichever_worker_claims_it() throws Exception {
        fleet.startWorker(Map.of("AGENTVINE_AGENT", "command", "AGENTVINE_AGENT_COMMAND",
                fleet.agent("echo change > CHANGE.md\n").toString(), "AGENTVINE_PARK_AFTER", "0"));
        String task = fleet.createTask("feature", "Risky", "Change it.", "human_required", null);
        Map<String, Object> approval = pendingOf(task);
        assertThat(approval).containsEntry("kind", "approval");
        until(task, "parked");
        assertThat(TestFleet.git(fleet.bare, "branch", "--list", "agentvine/*")).as("nothing pushed before the approval").isEmpty();

        HttpResponse<String> r = answer((String) approval.get("id"), "{\"decision\":\"approve\",\"answer\":\"ship it\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        until(task, "completed");
        assertThat(fleet.result(task)).containsEntry("approval", "approved").containsEntry("approval_comment", "ship it")
                .containsEntry("pushed", true);
        assertThat(TestFleet.git(fleet.bare, "show", "agentvine/feature/" + task + ":CHANGE.md")).isEqualTo("change");
    }
}
