package io.agentvine.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.agentvine.loop.Loop;
import io.agentvine.model.Json;
import io.agentvine.model.TaskType;
import io.agentvine.model.WorkOrderState;
import io.agentvine.model.WorkerStatus;
import io.agentvine.queue.QueueSettings;
import io.agentvine.queue.WorkQueue;
import io.agentvine.worker.delivery.PullRequests;
import io.agentvine.worker.delivery.RecordingGitHub;
import io.lettuce.core.RedisClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The worker end to end: a real controller (in-process, H2), a real Redis, a real bare git repository
 * and a scripted agent (a bash script that edits files, or hangs). Tasks go in through the
 * controller's API, as an operator would send them.
 */
class WorkerRuntimeTest extends FleetTestBase {
    Path bare;
    String namespace;
    RedisClient redis;
    WorkerRuntime worker;

    static String git(Path dir, String... args) throws Exception {
        return TestFleet.git(dir, args);
    }

    @BeforeEach
    void setUp() {
        bare = fleet.bare;
        namespace = fleet.namespace;
        redis = fleet.redis;
    }

    private Path agent(String body) throws Exception {
        return fleet.agent(body);
    }

    private WorkerRuntime startWorker(Path agentScript, String grace) {
        return startWorker(agentScript, grace, null);
    }

    private WorkerRuntime startWorker(Path agentScript, String grace, PullRequests prs) {
        return fleet.startWorker(Map.of("AGENTVINE_WORKER_TYPES", "feature,bugfix", "AGENTVINE_AGENT", "command",
                "AGENTVINE_AGENT_COMMAND", agentScript.toString(), "AGENTVINE_SHUTDOWN_GRACE", grace), null, prs);
    }

    private Map<String, Object> api(String method, String path, String body) throws Exception {
        return fleet.api(method, path, body);
    }

    private String createTask(String type, int timeoutSeconds) throws Exception {
        return fleet.createTask(type, "Add a changelog", "Write CHANGELOG.md.", "autonomous",
                "\"budget\":{\"timeout_seconds\":" + timeoutSeconds + "}");
    }

    private String state(String task) throws Exception {
        return fleet.state(task);
    }

    @Test
    void a_task_sent_to_the_controller_ends_with_a_commit_on_its_work_branch_in_the_remote() throws Exception {
        Path script = agent("""
                echo "working on $AGENTVINE_TASK_ID ($AGENTVINE_TASK_TYPE) with model $AGENTVINE_MODEL"
                { echo "# Changelog"; echo; head -1 "$AGENTVINE_PROMPT_FILE"; } > CHANGELOG.md
                echo "Token usage: input=1200, output=300, cache_read=0, cache_creation=0"
                """);
        worker = startWorker(script, "5s");
        String task = createTask("feature", 600);

        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(state(task)));

        String branch = "agentvine/feature/" + task;
        assertThat(git(bare, "show", branch + ":CHANGELOG.md")).contains("# Changelog").contains("Add a changelog");
        assertThat(git(bare, "log", "-1", "--format=%an|%s", branch)).isEqualTo("AgentVine|Add a changelog");
        Map<String, Object> shown = api("GET", "/api/v1/tasks/" + task, null);
        Map<String, Object> result = (Map<String, Object>) shown.get("result");
        assertThat(result).containsEntry("branch", branch).containsEntry("pushed", true)
                .containsEntry("commit", git(bare, "rev-parse", branch));
        assertThat(shown.get("log_location").toString()).endsWith(task + ".log");
        assertThat(fleet.log(task)).contains("working on " + task + " (feature) with model opus");
        assertThat(git(bare, "rev-list", "--count", "main")).as("the base branch is untouched").isEqualTo("1");
        assertThat(worker.completedCount()).isEqualTo(1);
    }

    @Test
    void a_supervised_task_pushes_its_branch_and_opens_a_pull_request_with_the_url_in_the_result() throws Exception {
        try (var github = new RecordingGitHub()) {
            worker = startWorker(agent("echo fix > FIX.md\n"), "5s",
                    new PullRequests(github.apiBase(), "ghp-test-token"));
            String task = (String) api("POST", "/api/v1/tasks", "{\"type\":\"bugfix\",\"repository_url\":\"" + bare.toUri()
                    + "\",\"branch\":\"main\",\"title\":\"Fix totals\",\"instructions\":\"Fix the rounding.\","
                    + "\"permission_level\":\"supervised\",\"metadata\":{\"github_repository\":\"acme/shop\"}}").get("id");
            await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(state(task)));
            Map<String, Object> result = (Map<String, Object>) api("GET", "/api/v1/tasks/" + task, null).get("result");
            assertThat(result).containsEntry("pr_url", "https://github.com/acme/shop/pull/1347").containsEntry("pushed", true);
            assertThat(git(bare, "show", "agentvine/bugfix/" + task + ":FIX.md")).isEqualTo("fix");
            var request = github.requests().get(0);
            assertThat(request.path()).isEqualTo("/api/v3/repos/acme/shop/pulls");
            assertThat(Json.read(request.body(), Map.class)).containsEntry("head", "agentvine/bugfix/" + task)
                    .containsEntry("base", "main").containsEntry("title", "Fix totals");
        }
    }

    @Test
    void an_error_thrown_inside_a_claim_is_logged_and_the_worker_still_claims_completes_and_logs_the_next_order() throws Exception {
        AtomicInteger claims = new AtomicInteger();
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        List<Logger> loggers = List.of((Logger) LoggerFactory.getLogger(Loop.class),
                (Logger) LoggerFactory.getLogger(RunLog.class));
        loggers.forEach(l -> {
            l.setLevel(Level.INFO);
            l.addAppender(logged);
        });
        try {
            worker = fleet.startWorker(Map.of("AGENTVINE_WORKER_TYPES", "feature", "AGENTVINE_AGENT", "command",
                    "AGENTVINE_AGENT_COMMAND", agent("echo done > CHANGELOG.md\n").toString()), source -> (types, wait) -> {
                        if (claims.incrementAndGet() == 1) {
                            throw new OutOfMemoryError("injected into the first claim");
                        }
                        return source.claim(types, wait);
                    });
            String task = createTask("feature", 600);

            await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(state(task)));
            assertThat(claims.get()).isGreaterThan(1);
            assertThat(worker.status()).isEqualTo(WorkerStatus.IDLE);
            List<String> lines;
            synchronized (logged.list) {
                lines = logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            }
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("worker-claim failed (1 in a row)"));
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("claimed ").contains("task " + task, "type feature",
                    "attempt 1", "repository " + bare.toUri()));
            assertThat(lines).anySatisfy(l -> assertThat(l).contains("(task " + task + ") completed after ").contains("cost unknown"));
        } finally {
            loggers.forEach(l -> {
                l.detachAppender(logged);
                l.setLevel(null);
            });
        }
    }

    @Test
    void a_repository_url_is_logged_without_its_user_part() {
        assertThat(RunLog.withoutUser("https://ghp_secret@github.com/acme/shop.git")).isEqualTo("https://github.com/acme/shop.git");
        assertThat(RunLog.withoutUser("ssh://git@example.com:2222/acme/shop.git")).isEqualTo("ssh://example.com:2222/acme/shop.git");
        assertThat(RunLog.withoutUser("git@github.com:acme/shop.git")).isEqualTo("github.com:acme/shop.git");
        assertThat(RunLog.withoutUser("file:///tmp/shop.git")).isEqualTo("file:///tmp/shop.git");
        assertThat(RunLog.withoutUser("https://github.com/acme/sh@p.git")).isEqualTo("https://github.com/acme/sh@p.git");
    }

    @Test
    void an_agent_that_changes_nothing_completes_without_a_commit_and_says_so() throws Exception {
        worker = startWorker(agent("echo 'looked around, nothing to do'\n"), "5s");
        String task = createTask("bugfix", 600);
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(state(task)));
        Map<String, Object> result = (Map<String, Object>) api("GET", "/api/v1/tasks/" + task, null).get("result");
        assertThat(result).containsEntry("no_changes", true).containsEntry("pushed", false);
        assertThat(git(bare, "branch", "--list", "agentvine/*")).isEmpty();
    }

    @Test
    void a_cancel_mid_run_stops_the_agent_within_seconds_and_the_task_ends_cancelled() throws Exception {
        Path pidFile = tmp.resolve("agent.pid");
        worker = startWorker(agent("echo $$ > " + pidFile + "\necho started\nsleep 300\n"), "5s");
        String task = createTask("feature", 600);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
        long pid = Long.parseLong(Files.readString(pidFile).trim());

        api("DELETE", "/api/v1/tasks/" + task, null);

        await().atMost(Duration.ofSeconds(20)).until(() -> "cancelled".equals(state(task)));
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void an_agent_past_its_timeout_is_stopped_and_the_task_is_retried_later() throws Exception {
        worker = startWorker(agent("sleep 300\n"), "5s");
        String task = createTask("feature", 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> "delayed".equals(state(task)));
        Map<String, Object> shown = api("GET", "/api/v1/tasks/" + task, null);
        assertThat(shown.get("error").toString()).startsWith("timeout");
    }

    @Test
    void sigterm_to_a_worker_jvm_mid_run_releases_the_order_stops_the_agent_and_exits_0() throws Exception {
        Path pidFile = tmp.resolve("jvm-agent.pid");
        Path script = agent("echo $$ > " + pidFile + "\nsleep 300\n");
        Process jvm = fleet.workerJvm("jvm-worker", Map.of("AGENTVINE_WORKER_TYPES", "feature", "AGENTVINE_AGENT", "command",
                "AGENTVINE_AGENT_COMMAND", script.toString(), "AGENTVINE_SHUTDOWN_GRACE", "1s"));
        try {
            String task = createTask("feature", 600);
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
            long agentPid = Long.parseLong(Files.readString(pidFile).trim());

            jvm.destroy(); // SIGTERM, as docker stop / kubectl delete send it

            assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).as("worker JVM exits").isTrue();
            assertThat(jvm.exitValue()).as(Files.readString(tmp.resolve("jvm-worker.log"))).isZero();
            assertThat(ProcessHandle.of(agentPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            try (WorkQueue queue = new WorkQueue(redis, QueueSettings.defaults().withNamespace(namespace), Clock.systemUTC())) {
                assertThat(queue.get(TaskType.FEATURE, task).orElseThrow().state()).isEqualTo(WorkOrderState.QUEUED);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> "queued".equals(state(task)));
            List<Map<String, Object>> workers = Json.mapper().readValue(fleet.call("GET", "/api/v1/workers", null).body(), List.class);
            assertThat(workers).singleElement().satisfies(w -> assertThat(w).containsEntry("health", "offline"));
        } finally {
            jvm.destroyForcibly();
        }
    }

    @Test
    void stopping_the_worker_mid_run_releases_the_order_to_the_head_of_its_queue() throws Exception {
        Path pidFile = tmp.resolve("agent.pid");
        worker = startWorker(agent("echo $$ > " + pidFile + "\nsleep 300\n"), "1s");
        String task = createTask("feature", 600);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
        long pid = Long.parseLong(Files.readString(pidFile).trim());

        worker.close();
        worker.close(); // idempotent

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        try (WorkQueue queue = new WorkQueue(redis, QueueSettings.defaults().withNamespace(namespace), Clock.systemUTC())) {
            var order = queue.get(TaskType.FEATURE, task).orElseThrow();
            assertThat(order.state()).isEqualTo(WorkOrderState.QUEUED);
            assertThat(order.attempts()).as("a release uses no attempt").isZero();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> "queued".equals(state(task)));
        Map<String, Object> workers = api("GET", "/api/v1/tasks/" + task, null);
        assertThat(workers.get("state")).isEqualTo("queued");
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .doesNotContain("worker-heartbeat", "worker-claim", "worker-lease");
    }
}
