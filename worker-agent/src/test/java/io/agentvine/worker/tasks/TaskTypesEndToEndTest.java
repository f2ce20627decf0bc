package io.agentvine.worker.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentvine.worker.runtime.TestFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each executor end to end: a real controller, Redis and bare repository, a scripted agent (bash) and
 * real test commands; the acceptance step passes and fails as it should.
 */
@SuppressWarnings("unchecked")
class TaskTypesEndToEndTest {
    @TempDir
    Path tmp;
    TestFleet fleet;

    @AfterEach
    void tearDown() {
        if (fleet != null) {
            fleet.close();
        }
    }

    private void fleet(Map<String, String> files, Map<String, Object> controller) throws Exception {
        fleet = new TestFleet(tmp, files, controller);
    }

    private String until(String task, String state) {
        await().atMost(Duration.ofSeconds(40)).until(() -> state.equals(fleet.state(task)));
        return task;
    }

    @Test
    void a_feature_whose_tests_pass_is_pushed_with_the_test_result_and_the_prompt_carries_the_repository_agent_file() throws Exception {
        fleet(Map.of("AGENTS.md", "Always run the linter before you finish.\n"), Map.of());
        Path prompt = tmp.resolve("seen-prompt.md");
        fleet.startWorker(Map.of("AGENTVINE_AGENT", "command", "AGENTVINE_AGENT_COMMAND", fleet.agent(
                "cp \"$AGENTVINE_PROMPT_FILE\" " + prompt + "\necho 'discount applied' > DISCOUNT.md\n").toString()));

        String task = until(fleet.createTask("feature", "Add discounts", "Apply a 10% discount.", "autonomous",
                "\"test_command\":\"grep -q discount DISCOUNT.md && echo '3 tests passed'\""), "completed");

        Map<String, Object> result = fleet.result(task);
        Map<String, Object> tests = (Map<String, Object>) result.get("tests");
        assertThat(tests).containsEntry("ran", true).containsEntry("passed", true).containsEntry("exit_code", 0);
        assertThat(tests.get("output_tail").toString()).contains("3 tests passed");
        assertThat(result).containsEntry("pushed", true);
        assertThat(TestFleet.git(fleet.bare, "show", "agentvine/feature/" + task + ":DISCOUNT.md")).isEqualTo("discount applied");
        String seen = Files.readString(prompt);
        assertThat(seen).contains("implement a feature — Add discounts").contains("Apply a 10% discount.")
                .contains("Always run the linter before you finish.").contains("grep -q discount DISCOUNT.md");
        assertThat(fleet.log(task)).as("the tests' output is in the task's log").contains("3 tests passed");
    }

    @Test
    void a_bugfix_whose_tests_fail_ends_tests_failed_with_the_output_tail_and_nothing_is_pushed() throws Exception {
        fleet(Map.of(), Map.of());
        fleet.startWorker(Map.of("AGENTVINE_AGENT", "command", "AGENTVINE_AGENT_COMMAND",
                fleet.agent("echo 'half a fix' > FIX.md\n").toString()));

        String task = fleet.createTask("bugfix", "Fix rounding", "Round half up.", "autonomous",
                "\"test_command\":\"echo 'expected 10.05 but was 10.04'; exit 1\"");
        await().atMost(Duration.ofSeconds(40)).until(() -> List.of("failed", "dead").contains(fleet.state(task)));

        Map<String, Object> shown = fleet.task(task);
        assertThat(shown.get("error").toString()).startsWith("tests_failed").contains("expected 10.05 but was 10.04");
        List<Map<String, Object>> attempts = (List<Map<String, Object>>) shown.get("attempt_history");
        Map<String, Object> attempt = attempts.get(attempts.size() - 1);
        assertThat(attempt).containsEntry("outcome", "tests_failed");
        assertThat(((Map<String, Object>) ((Map<String, Object>) attempt.get("result")).get("tests"))).containsEntry("passed", false);
        assertThat(shown.get("attempts")).as("tests_failed is not retried").isEqualTo(1);
        assertThat(TestFleet.git(fleet.bare, "branch", "--list", "agentvine/*")).isEmpty();
    }

    @Test
    void the_test_command_is_detected_from_the_repository_and_the_projects_own_wrapper_wins() throws Exception {
        // A Maven project whose wrapper is a script: the worker must find and run ./mvnw, not a global mvn.
        fleet(Map.of("pom.xml", "<project/>\n", "mvnw", "#!/bin/sh\necho \"wrapper ran: $*\"\ntest -f TESTED.md\n"), Map.of());
        fleet.startWorker(Map.of("AGENTVINE_AGENT", "command", "AGENTVINE_AGENT_COMMAND",
                fleet.agent("echo tested > TESTED.md\n").toString()));

        String task = until(fleet.createTask("test", "Cover checkout", "Add tests for checkout.", "autonomous", null), "completed");

        Map<String, Object> tests = (Map<String, Object>) fleet.result(task).get("tests");
        assertThat(tests).containsEntry("command", "./mvnw -B -q test").containsEntry("passed", true);
        assertThat(tests.get("output_tail").toString()).contains("wrapper ran: -B -q test");
    }

    @Test
    void a_review_reports_findings_with_file_and_line_changes_nothing_and_pushes_nothing() throws Exception {
        fleet(Map.of(), Map.of());
        fleet.startWorker(Map.of("AGENTVINE_AGENT", "command", "AGENTVINE_AGENT_COMMAND", fleet.agent("""
                cat > "$AGENTVINE_REVIEW_FILE" <<'MD'
                # Review
                ## Findings
                - `README.md:1` — the title does not say what the shop sells
                - src/cart.py:42: rounding uses floats
                MD
                """).toString()));

        String task = until(fleet.createTask("review", "Review the shop", "Review for correctness.", "autonomous", null), "completed");

        Map<String, Object> result = fleet.result(task);
        Map<String, Object> review = (Map<String, Object>) result.get("review");
        assertThat((List<Map<String, Object>>) review.get("findings")).containsExactly(
                Map.of("file", "README.md", "line", 1, "text", "the title does not say what the shop sells"),
                Map.of("file", "src/cart.py", "line", 42, "text", "rounding uses floats"));
        assertThat(review.get("report").toString()).startsWith("# Review");
        assertThat(result).containsEntry("pushed", false).doesNotContainKey("commit");
        assertThat(TestFleet.git(fleet.bare, "branch", "--list", "agentvine/*")).isEmpty();
    }

    @Test
    void a_review_that_edits_a_file_fails_and_pushes_nothing() throws Exception {
        fleet(Map.of(), Map.of());
        fleet.startWorker(Map.of("AGENTVINE_AGENT", "command", "AGENTVINE_AGENT_COMMAND",
                fleet.agent("echo 'reviewed' >> README.md\necho '- README.md:1 fine' > \"$AGENTVINE_REVIEW_FILE\"\n").toString()));

        String task = fleet.createTask("review", "Review the shop", "Review it.", "autonomous", null);
        await().atMost(Duration.ofSeconds(40)).until(() -> List.of("failed", "dead", "delayed").contains(fleet.state(task)));

        assertThat(fleet.task(task).get("error").toString()).contains("the review changed 1 file(s) (README.md)");
        assertThat(TestFleet.git(fleet.bare, "branch", "--list", "agentvine/*")).isEmpty();
    }

    @Test
    void a_custom_type_from_configuration_runs_its_own_template_and_acceptance_with_no_code_change() throws Exception {
        fleet(Map.of(), Map.of("agentvine.custom-task-types", List.of("security-audit")));
        Path types = tmp.resolve("types.yaml");
        Files.writeString(types, """
                types:
                  security-audit:
                    acceptance: review
                    template: |
                      SECURITY AUDIT of {{repository}}: {{instructions}}
                      Write findings to {{review_file}}.
                """);
        fleet.startWorker(Map.of("AGENTVINE_AGENT", "command", "AGENTVINE_WORKER_TYPES", "security-audit",
                "AGENTVINE_TASK_TYPES_FILE", types.toString(), "AGENTVINE_AGENT_COMMAND", fleet.agent("""
                grep -q 'SECURITY AUDIT of' "$AGENTVINE_PROMPT_FILE"
                echo "- README.md:1 — no security policy ($(grep -o 'Look for secrets' "$AGENTVINE_PROMPT_FILE"))" > "$AGENTVINE_REVIEW_FILE"
                """).toString()));

        String task = until(fleet.createTask("security-audit", "Audit", "Look for secrets.", "autonomous", null), "completed");

        Map<String, Object> review = (Map<String, Object>) fleet.result(task).get("review");
        assertThat((List<Map<String, Object>>) review.get("findings")).singleElement()
                .satisfies(f -> assertThat(f).containsEntry("file", "README.md").containsEntry("text", "no security policy (Look for secrets)"));
    }
}
