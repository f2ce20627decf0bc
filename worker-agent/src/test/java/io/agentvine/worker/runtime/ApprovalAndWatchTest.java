package io.agentvine.worker.runtime;

import io.agentvine.worker.clarify.Approvals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * What the worker does around the agent's own work: human_required changes wait for an approval
 * before anything is pushed; runs that pass their budget or go silent are stopped by the worker.
 * The approvals here come from a scripted decision (the operator channel is the clarification
 * issue's); everything else is real.
 */
class ApprovalAndWatchTest extends FleetTestBase {
    private Map<String, String> agent(String body) throws Exception {
        return Map.of("AGENTVINE_AGENT", "command", "AGENTVINE_AGENT_COMMAND", fleet.agent(body).toString());
    }

    /** An operator who answers each approval request with the next decision given to {@link #decide}. */
    static final class ScriptedOperator implements Approvals {
        final BlockingQueue<Request> requests = new ArrayBlockingQueue<>(10);
        final BlockingQueue<Answer> answers = new ArrayBlockingQueue<>(10);

        void decide(Decision d, String comment) {
            answers.add(new Answer(d, comment));
        }

        @Override
        public Answer await(Request request, BooleanSupplier stopped) {
            requests.add(request);
            while (!stopped.getAsBoolean()) {
                try {
                    Answer a = answers.poll(100, TimeUnit.MILLISECONDS);
                    if (a != null) {
                        return a;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return new Answer(Decision.STOPPED, null);
        }
    }

    @Test
    void a_human_required_change_waits_in_awaiting_approval_and_is_pushed_once_approved() throws Exception {
        ScriptedOperator operator = new ScriptedOperator();
        fleet.startWorker(agent("printf 'one\\ntwo\\n' > NOTES.md\n"), operator, null);
        String task = fleet.createTask("docs", "Write notes", "Write NOTES.md.", "human_required", null);

        await().atMost(Duration.ofSeconds(30)).until(() -> "awaiting_approval".equals(fleet.state(task)));
        Approvals.Request request = operator.requests.poll(5, TimeUnit.SECONDS);
        assertThat(request.changedFiles()).containsExactly("NOTES.md");
        assertThat(request.diffSummary()).startsWith("1 file(s) changed, +2 -0").contains("add    NOTES.md (+2 -0)").contains("+one");
        assertThat(TestFleet.git(fleet.bare, "branch", "--list", "agentvine/*")).as("nothing pushed before the approval").isEmpty();

        operator.decide(Approvals.Decision.APPROVED, "looks right");

        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(fleet.state(task)));
        assertThat(fleet.result(task)).containsEntry("approval", "approved").containsEntry("pushed", true);
        assertThat(TestFleet.git(fleet.bare, "show", "agentvine/docs/" + task + ":NOTES.md")).isEqualTo("one\ntwo");
    }

    @Test
    void a_rejected_change_is_never_pushed_and_the_task_says_why() throws Exception {
        ScriptedOperator operator = new ScriptedOperator();
        fleet.startWorker(agent("echo risky > RISKY.md\n"), operator, null);
        String task = fleet.createTask("refactor", "Risky change", "Change it.", "human_required", null);
        await().atMost(Duration.ofSeconds(30)).until(() -> "awaiting_approval".equals(fleet.state(task)));

        operator.decide(Approvals.Decision.REJECTED, "too risky before the release");

        await().atMost(Duration.ofSeconds(30)).until(() -> List.of("failed", "dead").contains(fleet.state(task)));
        assertThat(fleet.task(task).get("error").toString()).startsWith("rejected").contains("too risky before the release")
                .contains("nothing was pushed");
        assertThat(TestFleet.git(fleet.bare, "branch", "--list", "agentvine/*")).isEmpty();
    }

    @Test
    void without_an_approval_channel_the_order_waits_visibly_until_the_request_expires_and_nothing_is_pushed() throws Exception {
        Map<String, String> env = new HashMap<>(agent("echo change > CHANGE.md\n"));
        env.put("AGENTVINE_APPROVAL_TIMEOUT", "4s");
        fleet.startWorker(env);
        // Without a branch (the remote's default is cloned): the request names none.
        String task = (String) fleet.api("POST", "/api/v1/tasks", "{\"type\":\"feature\",\"repository_url\":\"" + fleet.bare.toUri()
                + "\",\"title\":\"Needs a human\",\"instructions\":\"Change it.\",\"permission_level\":\"human_required\"}").get("id");

        await().atMost(Duration.ofSeconds(30)).until(() -> "awaiting_approval".equals(fleet.state(task)));
        await().atMost(Duration.ofSeconds(30)).until(() -> List.of("failed", "dead").contains(fleet.state(task)));
        assertThat(fleet.task(task).get("error").toString()).startsWith("needs_clarification").contains("no approval before");
        assertThat(TestFleet.git(fleet.bare, "branch", "--list", "agentvine/*")).isEmpty();
    }

    @Test
    void the_tasks_deadline_ends_an_approval_wait_as_timeout_without_a_push() throws Exception {
        fleet.startWorker(agent("echo change > CHANGE.md\n"), new ScriptedOperator(), null);
        String task = fleet.createTask("feature", "Needs a human", "Change it.", "human_required", "\"budget\":{\"timeout_seconds\":8}");
        await().atMost(Duration.ofSeconds(30)).until(() -> "awaiting_approval".equals(fleet.state(task)));

        await().atMost(Duration.ofSeconds(8 + 5)).until(() -> "delayed".equals(fleet.state(task)));
        assertThat(fleet.task(task).get("error").toString()).isEqualTo("timeout: no approval before the task's time limit; nothing was pushed");
        assertThat(TestFleet.git(fleet.bare, "branch", "--list", "agentvine/*")).isEmpty();
    }

    @Test
    void a_cancel_while_awaiting_approval_ends_the_task_cancelled_without_a_push() throws Exception {
        fleet.startWorker(agent("echo change > CHANGE.md\n"), new ScriptedOperator(), null);
        String task = fleet.createTask("feature", "Needs a human", "Change it.", "human_required", null);
        await().atMost(Duration.ofSeconds(30)).until(() -> "awaiting_approval".equals(fleet.state(task)));

        fleet.api("DELETE", "/api/v1/tasks/" + task, null);

        await().atMost(Duration.ofSeconds(20)).until(() -> "cancelled".equals(fleet.state(task)));
        assertThat(TestFleet.git(fleet.bare, "branch", "--list", "agentvine/*")).isEmpty();
    }

    @Test
    void an_agent_that_goes_silent_is_stopped_as_stalled_and_its_process_is_gone() throws Exception {
        Path pidFile = tmp.resolve("silent.pid");
        Map<String, String> env = new HashMap<>(agent("echo $$ > " + pidFile + "\necho 'thinking...'\nsleep 300\n"));
        env.put("AGENTVINE_STALL_TIMEOUT", "2s");
        fleet.startWorker(env);
        String task = fleet.createTask("feature", "Go quiet", "Do it.", "autonomous", null);

        await().atMost(Duration.ofSeconds(30)).until(() -> "delayed".equals(fleet.state(task)));
        assertThat(fleet.task(task).get("error").toString()).startsWith("stalled").contains("no output for");
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void an_agent_that_keeps_spending_is_stopped_when_its_cost_passes_the_budget_and_the_cost_is_recorded() throws Exception {
        Path pidFile = tmp.resolve("spender.pid");
        fleet.startWorker(agent("echo $$ > " + pidFile + "\nwhile true; do\n"
                + "  echo 'Token usage: input=20000, output=1000, cache_read=0, cache_creation=0, cost=0.40'\n  sleep 0.2\ndone\n"));
        String task = fleet.createTask("feature", "Spend", "Spend money.", "autonomous", "\"budget\":{\"max_cost_usd\":1.0}");

        await().atMost(Duration.ofSeconds(30)).until(() -> List.of("failed", "dead").contains(fleet.state(task)));
        Map<String, Object> shown = fleet.task(task);
        assertThat(shown.get("error").toString()).startsWith("budget_exceeded").contains("passed the budget of $1.0000");
        assertThat(((Number) shown.get("cost_usd")).doubleValue()).as("usage of the stopped run is recorded").isGreaterThan(1.0)
                .isLessThan(2.5);
        assertThat(ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();
    }

    @Test
    void an_agent_that_takes_more_turns_than_its_budget_is_stopped() throws Exception {
        fleet.startWorker(agent("while true; do echo 'Token usage: input=100, output=10'; sleep 0.1; done\n"));
        String task = fleet.createTask("bugfix", "Loop", "Loop.", "autonomous", "\"budget\":{\"max_turns\":3}");

        await().atMost(Duration.ofSeconds(30)).until(() -> List.of("failed", "dead").contains(fleet.state(task)));
        assertThat(fleet.task(task).get("error").toString()).startsWith("budget_exceeded").contains("passed the budget of 3");
    }
}
