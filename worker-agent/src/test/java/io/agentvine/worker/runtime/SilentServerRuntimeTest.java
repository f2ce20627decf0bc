package io.agentvine.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentvine.model.TaskType;
import io.agentvine.queue.QueueKeys;
import io.agentvine.queue.QueueSettings;
import io.agentvine.queue.WorkQueue;
import io.agentvine.worker.workspace.SilentServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A run against a repository server that accepts connections and never answers ({@link SilentServer}),
 * and orders a worker cannot use, end to end: a real controller, Redis, worker runtime and git.
 * Every run ends on time with its reason and leaves the worker's one slot free for the next task.
 */
class SilentServerRuntimeTest extends FleetTestBase {
    SilentServer silent;

    @Override
    protected Map<String, Object> controllerSettings() {
        return Map.of("agentvine.allowed-git-hosts", "127.0.0.1/32"); // the silent server
    }

    @BeforeEach
    void setUp() throws Exception {
        silent = new SilentServer();
    }

    @AfterEach
    void tearDown() throws Exception {
        silent.close(); // its connections end: the clones still waiting on it end too
    }

    private WorkerRuntime startWorker(String gitTimeout) throws Exception {
        return fleet.startWorker(Map.of("AGENTVINE_WORKER_TYPES", "feature", "AGENTVINE_AGENT", "command", "AGENTVINE_MAX_CONCURRENT_TASKS", "1",
                "AGENTVINE_AGENT_COMMAND", fleet.agent("echo done > DONE.md\n").toString(), "AGENTVINE_GIT_TIMEOUT", gitTimeout));
    }

    private String silentTask(int timeoutSeconds) throws Exception {
        return (String) fleet.api("POST", "/api/v1/tasks", "{\"type\":\"feature\",\"repository_url\":\"" + silent.url("git", "shop.git")
                + "\",\"branch\":\"main\",\"title\":\"Add a changelog\",\"permission_level\":\"autonomous\","
                + "\"budget\":{\"timeout_seconds\":" + timeoutSeconds + "}}").get("id");
    }

    private String goodTask() throws Exception {
        return fleet.createTask("feature", "Add a changelog", "Write DONE.md.", "autonomous", null);
    }

    private String error(String task) throws Exception {
        return String.valueOf(fleet.task(task).get("error"));
    }

    @Test
    void a_silent_git_server_ends_the_clone_after_the_git_timeout_as_clone_failed_naming_it() throws Exception {
        startWorker("2s");
        String task = silentTask(600);
        await().atMost(Duration.ofSeconds(15)).until(() -> silent.connections() > 0);

        await().atMost(Duration.ofSeconds(2 + 5)).until(() -> "delayed".equals(fleet.state(task)));

        assertThat(error(task)).startsWith("clone_failed: clone of " + silent.url("git", "shop.git"))
                .contains("no data from git server 127.0.0.1:" + silent.port() + " for 2 s");
        String next = goodTask();
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(fleet.state(next)));
    }

    @Test
    void a_cancel_during_a_silent_clone_ends_the_task_cancelled_within_5_s_and_frees_the_slot() throws Exception {
        startWorker("60s");
        String task = silentTask(600);
        await().atMost(Duration.ofSeconds(15)).until(() -> silent.connections() > 0);

        fleet.api("DELETE", "/api/v1/tasks/" + task, null);

        await().atMost(Duration.ofSeconds(5)).until(() -> "cancelled".equals(fleet.state(task)));
        String next = goodTask();
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(fleet.state(next)));
    }

    @Test
    void the_task_deadline_during_a_silent_clone_ends_it_as_timeout_and_shutdown_waits_for_the_clone() throws Exception {
        WorkerRuntime worker = startWorker("8s");
        String task = silentTask(2);
        await().atMost(Duration.ofSeconds(15)).until(() -> silent.connections() > 0);

        await().atMost(Duration.ofSeconds(2 + 5)).until(() -> "delayed".equals(fleet.state(task)));

        assertThat(error(task)).startsWith("timeout: the clone ran past the task's time limit of 2 s");
        assertThat(netThreads()).as("the clone given up on still waits for the server").isNotEmpty();
        worker.close();
        assertThat(netThreads()).as("ended by its git timeout before close() returned").isEmpty();
    }

    private static List<String> netThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("worker-net-")).toList();
    }

    /** The order's payload in Redis, as an older controller or a hand-made enqueue left it. */
    private void tamper(String task, String from, String to) {
        String key = new QueueKeys(fleet.namespace, TaskType.FEATURE).order(task);
        var redis = fleet.redis.connect().sync();
        String payload = redis.hget(key, "payload");
        assertThat(payload).contains(from);
        redis.hset(key, "payload", payload.replace(from, to));
        redis.getStatefulConnection().close();
    }

    @Test
    void an_order_the_contract_refuses_is_dead_lettered_at_its_claim_and_its_task_ends_dead() throws Exception {
        String task = goodTask();
        tamper(task, "\"branch\":\"main\"", "\"branch\":\" \"");
        startWorker("60s");

        await().atMost(Duration.ofSeconds(30)).until(() -> "dead".equals(fleet.state(task)));

        assertThat(error(task)).startsWith("invalid_payload: the order cannot be used: branch:");
        try (WorkQueue queue = new WorkQueue(fleet.redis, QueueSettings.defaults().withNamespace(fleet.namespace), Clock.systemUTC())) {
            assertThat(queue.deadIds(TaskType.FEATURE, 0, 10)).containsExactly(task);
        }
    }

    @Test
    void an_order_for_a_metadata_address_is_dead_lettered_by_the_worker_before_anything_connects() throws Exception {
        String task = goodTask();
        // Refused by the controller too; an older controller or a hand-made enqueue could still leave it.
        // Nothing connects: the worker refuses the host before cloning.
        tamper(task, "\"repository_url\":\"" + fleet.task(task).get("repository_url") + "\"",
                "\"repository_url\":\"git://169.254.169.254/x.git\"");
        startWorker("60s");

        await().atMost(Duration.ofSeconds(30)).until(() -> "dead".equals(fleet.state(task)));

        assertThat(error(task)).isEqualTo("invalid_payload: the worker cannot use this order: repository_url: host 169.254.169.254 "
                + "is a link-local address (cloud metadata services live here); it is always refused");
        try (WorkQueue queue = new WorkQueue(fleet.redis, QueueSettings.defaults().withNamespace(fleet.namespace), Clock.systemUTC())) {
            assertThat(queue.deadIds(TaskType.FEATURE, 0, 10)).containsExactly(task);
            assertThat(queue.get(TaskType.FEATURE, task).orElseThrow().attempts()).as("claimed once, never retried").isEqualTo(1);
        }
    }
}
