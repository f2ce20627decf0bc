package io.agentvine.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentvine.worker.runtime.FleetTestBase;
import io.agentvine.worker.runtime.TestFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The Claude Code and Codex adapters end to end against RECORDED CLIs: a script in place of
 * {@code claude} / {@code codex} that checks the flags it was given, reads its prompt from standard
 * input as the real CLI does, makes a change and replays a recorded output (test resources
 * {@code agent-output/}). A paid model cannot run here; everything else — worker, controller, Redis,
 * git — is real.
 */
@SuppressWarnings("unchecked")
class RecordedCliEndToEndTest extends FleetTestBase {
    /** A stand-in CLI that replays {@code fixture}; it fails loudly if a required flag is missing. */
    private Path recordedCli(String fixture, String... requiredFlags) throws Exception {
        Path recording = Path.of(getClass().getResource("/agent-output/" + fixture).toURI());
        StringBuilder checks = new StringBuilder();
        for (String flag : requiredFlags) {
            checks.append("printf '%s\\n' \"$@\" | grep -qxF -- '").append(flag).append("' || { echo 'missing flag ").append(flag)
                    .append("' >&2; exit 64; }\n");
        }
        return fleet.agent(checks + "cat > PROMPT_SEEN.md\necho 'edited by the recorded CLI' > CHANGE.md\ncat " + recording + "\n");
    }

    private Map<String, Object> usage(String task) throws Exception {
        return (Map<String, Object>) fleet.result(task).get("usage");
    }

    @Test
    void claude_code_success_completes_with_the_cost_and_tokens_of_its_result_message() throws Exception {
        fleet.startWorker(Map.of("AGENTVINE_AGENT", "claude-code", "AGENTVINE_AGENT_BINARY",
                recordedCli("claude-success.jsonl", "-p", "--output-format=stream-json", "--verbose", "--max-turns=7",
                        "--permission-mode=acceptEdits").toString()));
        String task = fleet.createTask("feature", "Add vecsum", "Write the vecsum tool.", "autonomous", "\"budget\":{\"max_turns\":7}");

        await().atMost(Duration.ofSeconds(40)).until(() -> "completed".equals(fleet.state(task)));

        assertThat(((Number) usage(task).get("cost_usd")).doubleValue()).isEqualTo(0.2684032, Offset.offset(1e-6));
        assertThat(((Number) usage(task).get("output_tokens")).longValue()).isPositive();
        assertThat(((Number) fleet.task(task).get("cost_usd")).doubleValue()).as("the controller adds it to the task")
                .isEqualTo(0.2684032, Offset.offset(1e-6));
        assertThat(TestFleet.git(fleet.bare, "show", "agentvine/feature/" + task + ":PROMPT_SEEN.md"))
                .as("the prompt arrived on stdin").contains("Write the vecsum tool.");
        assertThat(fleet.result(task)).as("what a follow-up is given: the session and the agent's last word")
                .containsEntry("session_id", "2317940f-630c-4ced-8762-91be89159f7c");
        assertThat(fleet.result(task).get("summary").toString()).startsWith("The test has been updated.");
    }

    @Test
    void a_follow_up_on_another_worker_resumes_the_parents_claude_code_session_on_the_parents_branch() throws Exception {
        String sid = "2317940f-630c-4ced-8762-91be89159f7c"; // the recording's session_id
        Path recording = Path.of(getClass().getResource("/agent-output/claude-success.jsonl").toURI());
        // A recorded CLI that keeps its session where Claude Code does (CLAUDE_CONFIG_DIR/projects/<cwd, dashed>/<id>.jsonl)
        // and, given --resume=<id>, insists on finding that session in the folder of its own working directory.
        Path cli = fleet.agent(String.join("\n",
                "project=\"$CLAUDE_CONFIG_DIR/projects/$(pwd -P | sed 's/[^A-Za-z0-9]/-/g')\"",
                "resume=$(printf '%s\\n' \"$@\" | sed -n 's/^--resume=//p')",
                "cat > PROMPT_SEEN.md",
                "if [ -n \"$resume\" ]; then",
                "  grep -q 'turn one' \"$project/$resume.jsonl\" || { echo \"no session $resume in $project\" >&2; exit 65; }",
                "  echo \"resumed $resume\" >> SESSION.md",
                "else",
                "  mkdir -p \"$project/" + sid + "/tool-results\"",
                "  echo '{\"type\":\"user\",\"message\":\"turn one\"}' > \"$project/" + sid + ".jsonl\"",
                "  echo 'a tool result' > \"$project/" + sid + "/tool-results/r1.txt\"",
                "  echo started > SESSION.md",
                "fi",
                "cat " + recording, ""));
        Map<String, String> env = Map.of("AGENTVINE_AGENT", "claude-code", "AGENTVINE_AGENT_BINARY", cli.toString());
        var first = fleet.startWorkerWithAgentEnvironment(env, Map.of("CLAUDE_CONFIG_DIR", tmp.resolve("claude-a").toString()));
        String parent = fleet.createTask("feature", "Add vecsum", "Write the vecsum tool.", "autonomous", null);
        await().atMost(Duration.ofSeconds(40)).until(() -> "completed".equals(fleet.state(parent)));
        first.close();

        fleet.startWorkerWithAgentEnvironment(env, Map.of("CLAUDE_CONFIG_DIR", tmp.resolve("claude-b").toString()));
        String child = (String) fleet.api("POST", "/api/v1/tasks/" + parent + "/follow-ups",
                "{\"instructions\":\"Now add a --help flag.\"}").get("id");
        await().atMost(Duration.ofSeconds(40)).until(() -> "completed".equals(fleet.state(child)));

        String branch = "agentvine/feature/" + parent;
        assertThat(fleet.result(child)).containsEntry("resumed_session", sid).containsEntry("branch", branch);
        assertThat(TestFleet.git(fleet.bare, "show", branch + ":SESSION.md")).isEqualTo("started\nresumed " + sid);
        assertThat(TestFleet.git(fleet.bare, "show", branch + ":PROMPT_SEEN.md")).contains("Now add a --help flag.")
                .contains("This task continues earlier work");
        try (var found = Files.walk(tmp.resolve("claude-b"))) {
            assertThat(found.map(p -> p.getFileName().toString())).as("the whole session came along")
                    .contains(sid + ".jsonl", "r1.txt");
        }
    }

    @Test
    void an_api_error_that_claude_code_reports_as_success_fails_the_attempt_as_an_agent_error() throws Exception {
        fleet.startWorker(Map.of("AGENTVINE_AGENT", "claude-code", "AGENTVINE_AGENT_BINARY",
                recordedCli("claude-api-error-reported-as-success.jsonl").toString()));
        String task = fleet.createTask("bugfix", "Fix it", "Fix.", "autonomous", null);

        await().atMost(Duration.ofSeconds(40)).until(() -> List.of("delayed", "failed", "dead").contains(fleet.state(task)));
        assertThat(fleet.task(task).get("error").toString()).startsWith("agent_error: model API error");
        assertThat(TestFleet.git(fleet.bare, "branch", "--list", "agentvine/*")).as("nothing delivered").isEmpty();
        assertThat(((Number) fleet.task(task).get("cost_usd")).doubleValue()).as("a failed attempt still costs").isPositive();
    }

    @Test
    void claude_code_that_exits_without_its_result_message_did_not_finish() throws Exception {
        fleet.startWorker(Map.of("AGENTVINE_AGENT", "claude-code", "AGENTVINE_AGENT_BINARY",
                recordedCli("claude-missing-result.jsonl").toString()));
        String task = fleet.createTask("feature", "Half done", "Do it.", "autonomous", null);

        await().atMost(Duration.ofSeconds(40)).until(() -> List.of("delayed", "failed", "dead").contains(fleet.state(task)));
        assertThat(fleet.task(task).get("error").toString()).contains("without its final result message");
    }

    @Test
    void codex_success_is_priced_from_the_price_table_because_codex_reports_no_cost() throws Exception {
        fleet.startWorker(Map.of("AGENTVINE_AGENT", "codex", "AGENTVINE_AGENT_BINARY",
                recordedCli("codex-success.jsonl", "exec", "--json", "--sandbox=workspace-write", "-").toString(),
                "AGENTVINE_MODEL_STANDARD", "gpt-5", "AGENTVINE_MODEL_PREMIUM", "gpt-5", "AGENTVINE_MODEL_BUDGET", "gpt-5"));
        String task = fleet.createTask("refactor", "Tidy", "Tidy up.", "autonomous", "\"model\":\"gpt-5\"");

        await().atMost(Duration.ofSeconds(40)).until(() -> "completed".equals(fleet.state(task)));
        Map<String, Object> u = usage(task);
        assertThat(u).containsEntry("input_tokens", 48213 - 39936).containsEntry("cache_read_tokens", 39936)
                .containsEntry("output_tokens", 1877);
        assertThat(((Number) u.get("cost_usd")).doubleValue()).isPositive();
        assertThat(fleet.result(task)).containsEntry("session_id", "019a3f1c-8e2d-7b40-9a15-6c3d2e1f0a9b");
        assertThat(fleet.result(task).get("summary").toString()).startsWith("`OrderService.place` now rejects zero");
    }
}
