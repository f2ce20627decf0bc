package io.agentvine.worker.chains;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentvine.model.Json;
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
 * Follow-ups and chains end to end (issue #21): a real controller, Redis and bare repository, workers (one in a
 * JVM of its own) and a scripted agent that writes down which step it is — the branch's file and commits say
 * in which order the steps ran and on which branch.
 */
@SuppressWarnings("unchecked")
class ChainsEndToEndTest {
    /** Appends the first STEP-… word of the prompt (the step's instructions) to STEPS.md; keeps the prompt. */
    private static final String AGENT = "grep -o 'STEP-[a-z]*' \"$AGENTVINE_PROMPT_FILE\" | head -1 >> STEPS.md\n"
            + "cp \"$AGENTVINE_PROMPT_FILE\" \"$(dirname \"$0\")/prompt-$(grep -o 'STEP-[a-z]*' \"$AGENTVINE_PROMPT_FILE\" | head -1).md\"\n";

    @TempDir
    Path tmp;
    TestFleet fleet;
    Process jvm;

    @AfterEach
    void tearDown() throws Exception {
        if (jvm != null) {
            jvm.destroy();
            jvm.waitFor();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    private String until(String task, String state) {
        await().atMost(Duration.ofSeconds(60)).until(() -> state.equals(fleet.state(task)));
        return task;
    }

    @Test
    void a_three_step_pipeline_runs_in_order_on_one_branch_in_a_worker_jvm() throws Exception {
        fleet = new TestFleet(tmp, Map.of(), Map.of());
        jvm = fleet.workerJvm("w-pipeline", Map.of("AGENTVINE_AGENT", "command", "AGENTVINE_AGENT_COMMAND", fleet.agent(AGENT).toString()));
        Map<String, Object> created = fleet.api("POST", "/api/v1/tasks", "{\"repository_url\":\"" + fleet.bare.toUri()
                + "\",\"branch\":\"main\",\"title\":\"CSV export\",\"permission_level\":\"autonomous\",\"pipeline\":["
                + "{\"name\":\"build\",\"type\":\"feature\",\"instructions\":\"STEP-feature\"},"
                + "{\"name\":\"cover\",\"type\":\"test\",\"instructions\":\"STEP-test\"},"
                + "{\"name\":\"explain\",\"type\":\"docs\",\"instructions\":\"STEP-docs\"}]}");
        List<Map<String, Object>> steps = (List<Map<String, Object>>) created.get("pipeline");
        String first = (String) steps.get(0).get("id");
        String last = until((String) steps.get(2).get("id"), "completed");
        String branch = "agentvine/feature/" + first;

        assertThat(TestFleet.git(fleet.bare, "show", branch + ":STEPS.md")).isEqualTo("STEP-feature\nSTEP-test\nSTEP-docs");
        assertThat(TestFleet.git(fleet.bare, "rev-list", "--count", "main.." + branch)).as("one commit per step").isEqualTo("3");
        assertThat(fleet.result(last)).containsEntry("branch", branch).containsEntry("pushed", true);
        for (Map<String, Object> s : steps) {
            assertThat(fleet.state((String) s.get("id"))).isEqualTo("completed");
        }
        assertThat(TestFleet.git(fleet.bare, "branch", "--list", "agentvine/*").lines().map(String::strip))
                .as("the later steps pushed no branch of their own").containsExactly(branch);
        assertThat(Files.readString(tmp.resolve("prompt-STEP-docs.md"))).contains("This task continues earlier work")
                .contains(branch).contains((String) steps.get(1).get("id"));
    }

    @Test
    void a_chain_survives_a_controller_restart_while_its_first_step_runs() throws Exception {
        fleet = new TestFleet(tmp, Map.of(), Map.of());
        // the first step waits until the test lets it finish: the controller is restarted meanwhile
        Path gate = tmp.resolve("gate");
        fleet.startWorker(Map.of("AGENTVINE_AGENT", "command", "AGENTVINE_AGENT_COMMAND", fleet.agent(
                "if grep -q STEP-slow \"$AGENTVINE_PROMPT_FILE\"; then while [ ! -f " + gate + " ]; do sleep 0.1; done; fi\n"
                        + AGENT).toString()));
        Map<String, Object> created = fleet.api("POST", "/api/v1/tasks", "{\"repository_url\":\"" + fleet.bare.toUri()
                + "\",\"branch\":\"main\",\"title\":\"Restart\",\"permission_level\":\"autonomous\",\"pipeline\":["
                + "{\"type\":\"feature\",\"instructions\":\"STEP-slow\"},{\"type\":\"docs\",\"instructions\":\"STEP-after\"}]}");
        List<Map<String, Object>> steps = (List<Map<String, Object>>) created.get("pipeline");
        String first = until((String) steps.get(0).get("id"), "running");

        fleet.restartController();
        Files.writeString(gate, "go");
        String second = until((String) steps.get(1).get("id"), "completed");

        assertThat(fleet.state(first)).isEqualTo("completed");
        assertThat(TestFleet.git(fleet.bare, "show", "agentvine/feature/" + first + ":STEPS.md")).isEqualTo("STEP-slow\nSTEP-after");
        assertThat(fleet.result(second)).containsEntry("branch", "agentvine/feature/" + first);
    }

    @Test
    void a_follow_up_commits_on_its_parents_branch_and_a_failed_parent_cancels_what_waits_for_it() throws Exception {
        fleet = new TestFleet(tmp, Map.of(), Map.of());
        fleet.startWorker(Map.of("AGENTVINE_AGENT", "command", "AGENTVINE_AGENT_COMMAND", fleet.agent(AGENT).toString()));
        String parent = until(fleet.createTask("feature", "Add the cart", "STEP-cart", "autonomous", null), "completed");
        String branch = "agentvine/feature/" + parent;
        String parentCommit = (String) fleet.result(parent).get("commit");

        Map<String, Object> followUp = fleet.api("POST", "/api/v1/tasks/" + parent + "/follow-ups",
                Json.write(Map.of("instructions", "STEP-emptycart")));
        String child = until((String) followUp.get("id"), "completed");

        assertThat(fleet.result(child)).containsEntry("branch", branch);
        assertThat(TestFleet.git(fleet.bare, "show", branch + ":STEPS.md")).isEqualTo("STEP-cart\nSTEP-emptycart");
        assertThat(TestFleet.git(fleet.bare, "rev-parse", branch + "~1")).as("the follow-up's commit sits on the parent's")
                .isEqualTo(parentCommit);
        List<Map<String, Object>> chain = (List<Map<String, Object>>) fleet.task(child).get("chain");
        assertThat(chain).extracting(c -> c.get("id")).containsExactly(parent, child);

        // a parent whose tests fail: what waits for it is cancelled, nothing more runs
        Map<String, Object> failing = fleet.api("POST", "/api/v1/tasks", "{\"repository_url\":\"" + fleet.bare.toUri()
                + "\",\"branch\":\"main\",\"title\":\"Broken\",\"permission_level\":\"autonomous\",\"test_command\":\"exit 1\","
                + "\"max_attempts\":1,\"pipeline\":[{\"type\":\"bugfix\",\"instructions\":\"STEP-broken\"},"
                + "{\"type\":\"docs\",\"instructions\":\"STEP-never\"}]}");
        List<Map<String, Object>> steps = (List<Map<String, Object>>) failing.get("pipeline");
        String dependent = until((String) steps.get(1).get("id"), "cancelled");
        assertThat(fleet.state((String) steps.get(0).get("id"))).isIn("failed", "dead");
        assertThat(fleet.task(dependent).get("error").toString()).startsWith("parent " + steps.get(0).get("id"));
        assertThat(tmp.resolve("prompt-STEP-never.md")).doesNotExist();
    }
}
