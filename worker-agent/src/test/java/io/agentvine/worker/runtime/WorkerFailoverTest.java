package io.agentvine.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults around a running task: its worker JVM killed with SIGKILL (the order is recovered after its
 * lease and completed by another worker), and the controller down while it runs (the run completes;
 * its events arrive once the controller is back). Leases are 3 s here so the tests stay short.
 */
class WorkerFailoverTest extends FleetTestBase {
    Path bare;
    WorkerRuntime worker;

    @BeforeEach
    void setUp() {
        bare = fleet.bare;
    }

    private Path agent(String body) throws Exception {
        return fleet.agent(body);
    }

    private Map<String, String> env(Path agentScript) {
        return Map.of("AGENTVINE_WORKER_TYPES", "feature", "AGENTVINE_AGENT", "command", "AGENTVINE_AGENT_COMMAND", agentScript.toString(),
                "AGENTVINE_SHUTDOWN_GRACE", "5s");
    }

    private WorkerRuntime inProcessWorker(Path agentScript) {
        return fleet.startWorker(env(agentScript));
    }

    private Map<String, Object> api(String method, String path, String body) throws Exception {
        return fleet.api(method, path, body);
    }

    private String createTask() throws Exception {
        return fleet.createTask("feature", "Add a changelog", "Write it.", "autonomous", null);
    }

    private String state(String task) throws Exception {
        return fleet.state(task);
    }

    @Test
    void a_worker_jvm_killed_with_sigkill_mid_run_loses_its_order_which_another_worker_completes() throws Exception {
        Path pidFile = tmp.resolve("agent-a.pid");
        Path hanging = agent("echo $$ > " + pidFile + "\nsleep 300\n");
        Process jvm = fleet.workerJvm("worker-a", env(hanging));
        long agentPid = -1;
        try {
            String task = createTask();
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
            agentPid = Long.parseLong(Files.readString(pidFile).trim());

            jvm.destroyForcibly(); // kill -9: no shutdown hook, no release, no deregistration
            jvm.waitFor();

            worker = inProcessWorker(agent("echo done > CHANGELOG.md\n"));
            await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(state(task)));
            Map<String, Object> shown = api("GET", "/api/v1/tasks/" + task, null);
            assertThat(shown.get("worker_id")).isEqualTo(worker.workerId());
            assertThat(TestFleet.git(bare, "show", "agentvine/feature/" + task + ":CHANGELOG.md")).isEqualTo("done");
            List<Map<String, Object>> attempts = (List<Map<String, Object>>) shown.get("attempt_history");
            // A recovery uses no attempt (the queue counts it as a stall): two runs of attempt 1, each its own row.
            assertThat(attempts).hasSize(2);
            assertThat(attempts.get(0)).containsEntry("attempt", 1).containsEntry("outcome", "recovered");
            assertThat(attempts.get(0).get("reason").toString()).startsWith("lease expired");
            assertThat(attempts.get(0).get("worker_id")).isNotEqualTo(worker.workerId());
            assertThat(attempts.get(1)).containsEntry("attempt", 1).containsEntry("worker_id", worker.workerId())
                    .containsEntry("outcome", "completed");
        } finally {
            jvm.destroyForcibly();
            // A SIGKILLed JVM cannot stop its children: outside a container (whose runtime kills every
            // process in it) the agent would linger. The test cleans it up.
            if (agentPid > 0) {
                ProcessHandle.of(agentPid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void with_the_controller_down_the_run_completes_and_its_events_arrive_once_it_is_back() throws Exception {
        Path started = tmp.resolve("started");
        Path proceed = tmp.resolve("proceed");
        worker = inProcessWorker(agent("touch " + started + "\nwhile [ ! -f " + proceed + " ]; do sleep 0.1; done\n"
                + "echo done > CHANGELOG.md\n"));
        String task = createTask();
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(started));

        fleet.stopController(); // the controller goes away mid-run
        Files.createFile(proceed);
        await().atMost(Duration.ofSeconds(30)).until(() -> worker.completedCount() == 1);
        assertThat(TestFleet.git(bare, "show", "agentvine/feature/" + task + ":CHANGELOG.md")).isEqualTo("done");

        fleet.restartController(); // same database, same Redis: the events waited in the stream
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(state(task)));
        Map<String, Object> result = (Map<String, Object>) api("GET", "/api/v1/tasks/" + task, null).get("result");
        assertThat(result).containsEntry("pushed", true);
    }
}
