package io.agentvine.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentvine.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A drain that finishes, with a real worker JVM ({@code WorkerMain}): the worker finishes the run it
 * holds, claims nothing more, reports {@code drained} (seen through the controller's API), and exits 0
 * on SIGTERM — or by itself with {@code AGENTVINE_EXIT_WHEN_DRAINED}. And {@code --once}, as a KEDA
 * ScaledJob runs it: one order, reported, then exit 0 by itself; the other orders stay queued for other
 * Jobs; a Job that finds no order exits 0 after {@code AGENTVINE_ONCE_IDLE_EXIT}.
 */
class WorkerDrainTest extends FleetTestBase {

    private Map<String, String> env(Path agentScript, Map<String, String> more) {
        var env = new HashMap<>(Map.of("AGENTVINE_WORKER_TYPES", "feature", "AGENTVINE_AGENT", "command",
                "AGENTVINE_AGENT_COMMAND", agentScript.toString(), "AGENTVINE_SHUTDOWN_GRACE", "5s"));
        env.putAll(more);
        return env;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> theWorker() throws Exception {
        List<Map<String, Object>> workers = Json.mapper().readValue(fleet.call("GET", "/api/v1/workers", null).body(), List.class);
        assertThat(workers).hasSize(1);
        return workers.get(0);
    }

    /** The status of the one worker, null before it registered. */
    @SuppressWarnings("unchecked")
    private Object status() throws Exception {
        List<Map<String, Object>> workers = Json.mapper().readValue(fleet.call("GET", "/api/v1/workers", null).body(), List.class);
        return workers.isEmpty() ? null : workers.get(0).get("status");
    }

    private void drain(Object workerId) throws Exception {
        assertThat(fleet.call("POST", "/api/v1/workers/" + workerId + "/drain", null).statusCode()).isLessThan(300);
    }

    private String createTask(String title) throws Exception {
        return fleet.createTask("feature", title, "Write it.", "autonomous", null);
    }

    @Test
    void a_drained_worker_finishes_its_run_claims_nothing_more_reports_drained_and_exits_0_on_sigterm() throws Exception {
        Path started = tmp.resolve("started");
        Path proceed = tmp.resolve("proceed");
        Path agent = fleet.agent("touch " + started + "\nwhile [ ! -f " + proceed + " ]; do sleep 0.1; done\n"
                + "echo \"$AGENTVINE_TASK_ID\" >> " + tmp.resolve("ran") + "\necho done > CHANGELOG.md\n");
        Process jvm = fleet.workerJvm("drain-worker", env(agent, Map.of()));
        Path log = tmp.resolve("drain-worker.log");
        try {
            String first = createTask("First");
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(started));
            String id = (String) theWorker().get("id");

            drain(id);
            await().atMost(Duration.ofSeconds(15)).until(() -> "draining".equals(status()));
            String second = createTask("Second");
            Files.createFile(proceed); // the held run may finish now

            await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(fleet.state(first)));
            await().atMost(Duration.ofSeconds(15)).until(() -> "drained".equals(status()));
            Map<String, Object> drained = theWorker();
            assertThat(drained.get("current_tasks")).asList().isEmpty();
            assertThat(drained.get("pending_command")).as("the drain is fulfilled").isEqualTo("none");
            assertThat(fleet.state(second)).as("nothing claimed while draining").isEqualTo("queued");
            assertThat(Files.readAllLines(tmp.resolve("ran"))).containsExactly(first);

            jvm.destroy(); // SIGTERM

            assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).as("worker JVM exits").isTrue();
            assertThat(jvm.exitValue()).as(Files.readString(log)).isZero();
            assertThat(fleet.state(second)).isEqualTo("queued");
            assertThat(theWorker()).containsEntry("health", "offline");
        } finally {
            jvm.destroyForcibly();
        }
    }

    @Test
    void with_exit_when_drained_a_drained_worker_stops_by_itself_with_exit_code_0() throws Exception {
        Process jvm = fleet.workerJvm("scale-down", env(fleet.agent("echo done > CHANGELOG.md\n"),
                Map.of("AGENTVINE_EXIT_WHEN_DRAINED", "true")));
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> "idle".equals(status()));

            drain(theWorker().get("id"));

            assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).as("worker JVM exits by itself").isTrue();
            assertThat(jvm.exitValue()).as(Files.readString(tmp.resolve("scale-down.log"))).isZero();
            assertThat(theWorker()).containsEntry("health", "offline");
        } finally {
            jvm.destroyForcibly();
        }
    }

    @Test
    void with_once_the_worker_runs_one_order_of_several_then_exits_0_by_itself() throws Exception {
        Path ran = tmp.resolve("ran");
        Path agent = fleet.agent("echo \"$AGENTVINE_TASK_ID\" >> " + ran + "\necho done > CHANGELOG.md\n");
        String first = fleet.createTask("feature", "First", "Write it.", "autonomous", null);
        String second = fleet.createTask("feature", "Second", "Write it.", "autonomous", null);
        String third = fleet.createTask("feature", "Third", "Write it.", "autonomous", null);
        // two slots and a queue of three: --once still takes one order only
        Process jvm = fleet.workerJvm("once-worker", env(agent, Map.of("AGENTVINE_MAX_CONCURRENT_TASKS", "2")), List.of(), List.of("--once"));
        try {
            assertThat(jvm.waitFor(90, TimeUnit.SECONDS)).as("worker JVM exits by itself").isTrue();
            String log = Files.readString(tmp.resolve("once-worker.log"));
            assertThat(jvm.exitValue()).as(log).isZero();
            assertThat(Files.readAllLines(ran)).as("one run").hasSize(1);
            String runId = Files.readAllLines(ran).get(0);
            assertThat(runId).as("the head of the queue").isEqualTo(first);
            await().atMost(Duration.ofSeconds(15)).until(() -> "completed".equals(fleet.state(first)));
            assertThat(fleet.state(second)).isEqualTo("queued");
            assertThat(fleet.state(third)).isEqualTo("queued");
            assertThat(theWorker()).containsEntry("health", "offline");
        } finally {
            jvm.destroyForcibly();
        }
    }

    @Test
    void with_once_and_nothing_to_claim_the_worker_exits_0_after_the_idle_limit() throws Exception {
        Process jvm = fleet.workerJvm("idle-once", env(fleet.agent("echo done > CHANGELOG.md\n"),
                Map.of("AGENTVINE_ONCE", "true", "AGENTVINE_ONCE_IDLE_EXIT", "2s", "AGENTVINE_MAX_CONCURRENT_TASKS", "2")));
        try {
            assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).as("worker JVM exits by itself").isTrue();
            String log = Files.readString(tmp.resolve("idle-once.log"));
            assertThat(jvm.exitValue()).as(log).isZero();
            assertThat(theWorker()).containsEntry("health", "offline");
        } finally {
            jvm.destroyForcibly();
        }
    }

    @Test
    void an_unknown_argument_is_refused_with_exit_2_naming_it() throws Exception {
        Process jvm = fleet.workerJvm("bad-arg", env(fleet.agent("true\n"), Map.of()), List.of(), List.of("--onse"));
        try {
            assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(jvm.exitValue()).isEqualTo(2);
            assertThat(Files.readString(tmp.resolve("bad-arg.log"))).contains("unknown argument '--onse'");
        } finally {
            jvm.destroyForcibly();
        }
    }
}
