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
 * {@code --once} with a real worker JVM ({@code WorkerMain}), as a KEDA ScaledJob runs it: one order,
 * reported, then exit 0 by itself; the other orders stay queued for other Jobs. A Job that finds no
 * order exits 0 after {@code AGENTVINE_ONCE_IDLE_EXIT}.
 */
class WorkerOnceTest extends FleetTestBase {

    private Map<String, String> env(Path agentScript, Map<String, String> more) {
        var env = new HashMap<>(Map.of("AGENTVINE_WORKER_TYPES", "feature", "AGENTVINE_AGENT", "command",
                "AGENTVINE_AGENT_COMMAND", agentScript.toString(), "AGENTVINE_SHUTDOWN_GRACE", "5s",
                "AGENTVINE_MAX_CONCURRENT_TASKS", "2"));
        env.putAll(more);
        return env;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> theWorker() throws Exception {
        List<Map<String, Object>> workers = Json.mapper().readValue(fleet.call("GET", "/api/v1/workers", null).body(), List.class);
        assertThat(workers).hasSize(1);
        return workers.get(0);
    }

    @Test
    void with_once_the_worker_runs_one_order_of_several_then_exits_0_by_itself() throws Exception {
        Path ran = tmp.resolve("ran");
        Path agent = fleet.agent("echo \"$AGENTVINE_TASK_ID\" >> " + ran + "\necho done > CHANGELOG.md\n");
        String first = fleet.createTask("feature", "First", "Write it.", "autonomous", null);
        String second = fleet.createTask("feature", "Second", "Write it.", "autonomous", null);
        String third = fleet.createTask("feature", "Third", "Write it.", "autonomous", null);
        // two slots and a queue of three: --once still takes one order only
        Process jvm = fleet.workerJvm("once-worker", env(agent, Map.of()), List.of(), List.of("--once"));
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
                Map.of("AGENTVINE_ONCE", "true", "AGENTVINE_ONCE_IDLE_EXIT", "2s")));
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
