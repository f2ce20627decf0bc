package io.agentvine.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentvine.model.Json;
import io.agentvine.queue.testing.TestRedis;
import io.agentvine.worker.config.WorkerConfig;
import io.agentvine.worker.config.WorkerConfigLoader;
import io.agentvine.worker.controller.ControllerClient;
import io.agentvine.worker.workspace.GitCredentials;
import io.agentvine.worker.workspace.WorkspaceManager;
import io.lettuce.core.RedisClient;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults around a running task: its worker JVM killed with SIGKILL (the order is recovered after its
 * lease and completed by another worker), and the controller down while it runs (the run completes;
 * its events arrive once the controller is back). Leases are 3 s here so the tests stay short.
 */
class WorkerFailoverTest {
    private static final String ADMIN = "admin-" + UUID.randomUUID();
    private static final String WORKER_KEY = "wk-" + UUID.randomUUID();

    @TempDir
    Path tmp;
    Path bare;
    int port;
    final String namespace = TestRedis.uniqueNamespace();
    final String database = "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
    final RedisClient redis = TestRedis.client();
    final HttpClient http = HttpClient.newHttpClient();
    EmbeddedServer controller;
    WorkerRuntime worker;

    @BeforeEach
    void setUp() throws Exception {
        Path seed = Files.createDirectories(tmp.resolve("seed"));
        WorkerRuntimeTest.git(seed, "init");
        Files.writeString(seed.resolve("README.md"), "# shop\n");
        WorkerRuntimeTest.git(seed, "add", ".");
        WorkerRuntimeTest.git(seed, "commit", "-m", "first");
        bare = tmp.resolve("shop.git");
        WorkerRuntimeTest.git(tmp, "clone", "--bare", seed.toString(), bare.toString());
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        controller = startController();
    }

    private EmbeddedServer startController() {
        return ApplicationContext.run(EmbeddedServer.class, Map.of(
                "datasources.default.url", database,
                "micronaut.server.port", port,
                "agentvine.redis-url", TestRedis.uri(),
                "agentvine.queue-namespace", namespace,
                "agentvine.admin-keys", ADMIN,
                "agentvine.worker-keys", "pool:" + WORKER_KEY + ":*",
                "agentvine.allow-file-repositories", true,
                "agentvine.heartbeat-interval", "1s",
                "agentvine.lease", "3s",
                "agentvine.health-check-interval", "500ms"));
    }

    @AfterEach
    void tearDown() {
        if (worker != null) {
            worker.close();
        }
        if (controller != null) {
            controller.close();
        }
        redis.shutdown();
    }

    private Path agent(String body) throws Exception {
        Path p = tmp.resolve("agent-" + UUID.randomUUID() + ".sh");
        Files.writeString(p, "#!/usr/bin/env bash\nset -e\n" + body);
        p.toFile().setExecutable(true);
        return p;
    }

    private Map<String, String> env(Path agentScript, String name) {
        Map<String, String> env = new HashMap<>();
        env.put("AGENTVINE_CONTROLLER_URL", "http://127.0.0.1:" + port);
        env.put("AGENTVINE_API_KEY", WORKER_KEY);
        env.put("REDIS_URL", TestRedis.uri());
        env.put("AGENTVINE_QUEUE_NAMESPACE", namespace);
        env.put("AGENTVINE_WORKER_TYPES", "feature");
        env.put("AGENTVINE_WORKER_NAME", name);
        env.put("AGENTVINE_AGENT", "command");
        env.put("AGENTVINE_AGENT_COMMAND", agentScript.toString());
        env.put("AGENTVINE_WORKSPACE_DIR", tmp.resolve("ws-" + name).toString());
        env.put("AGENTVINE_LOG_DIR", tmp.resolve("logs-" + name).toString());
        env.put("AGENTVINE_HEARTBEAT_INTERVAL", "1s");
        env.put("AGENTVINE_MIN_FREE_DISK_MB", "0");
        env.put("AGENTVINE_MIN_FREE_MEMORY_MB", "0");
        env.put("AGENTVINE_SHUTDOWN_GRACE", "5s");
        return env;
    }

    private WorkerRuntime inProcessWorker(Path agentScript, String name) {
        WorkerConfig config = WorkerConfigLoader.load(env(agentScript, name));
        WorkerRuntime w = new WorkerRuntime(config, new ControllerClient(config.controllerUrl(), config.apiKey(), Duration.ofSeconds(3)),
                redis, new WorkspaceManager(config.workspaceDir(), 1, false, GitCredentials.none()),
                io.agentvine.worker.agent.AgentAdapters.create(config, Map.of()), null, Clock.systemUTC());
        w.start();
        return w;
    }

    private Map<String, Object> api(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isLessThan(300);
        return Json.read(r.body(), Map.class);
    }

    private String createTask() throws Exception {
        return (String) api("POST", "/api/v1/tasks", "{\"type\":\"feature\",\"repository_url\":\"" + bare.toUri()
                + "\",\"branch\":\"main\",\"title\":\"Add a changelog\",\"permission_level\":\"autonomous\"}").get("id");
    }

    private String state(String task) throws Exception {
        return (String) api("GET", "/api/v1/tasks/" + task, null).get("state");
    }

    @Test
    void a_worker_jvm_killed_with_sigkill_mid_run_loses_its_order_which_another_worker_completes() throws Exception {
        Path pidFile = tmp.resolve("agent-a.pid");
        Path hanging = agent("echo $$ > " + pidFile + "\nsleep 300\n");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), "io.agentvine.worker.WorkerMain")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("worker-a.log").toFile());
        pb.environment().putAll(env(hanging, "worker-a"));
        Process jvm = pb.start();
        long agentPid = -1;
        try {
            String task = createTask();
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
            agentPid = Long.parseLong(Files.readString(pidFile).trim());

            jvm.destroyForcibly(); // kill -9: no shutdown hook, no release, no deregistration
            jvm.waitFor();

            worker = inProcessWorker(agent("echo done > CHANGELOG.md\n"), "worker-b");
            await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(state(task)));
            Map<String, Object> shown = api("GET", "/api/v1/tasks/" + task, null);
            assertThat(shown.get("worker_id")).isEqualTo(worker.workerId());
            assertThat(WorkerRuntimeTest.git(bare, "show", "agentvine/feature/" + task + ":CHANGELOG.md")).isEqualTo("done");
            List<Map<String, Object>> attempts = (List<Map<String, Object>>) shown.get("attempt_history");
            assertThat(attempts).extracting(a -> a.get("outcome")).contains("completed");
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
                + "echo done > CHANGELOG.md\n"), "worker-c");
        String task = createTask();
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(started));

        controller.close(); // the controller goes away mid-run
        controller = null;
        Files.createFile(proceed);
        await().atMost(Duration.ofSeconds(30)).until(() -> worker.completedCount() == 1);
        assertThat(WorkerRuntimeTest.git(bare, "show", "agentvine/feature/" + task + ":CHANGELOG.md")).isEqualTo("done");

        controller = startController(); // same database, same Redis: the events waited in the stream
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(state(task)));
        Map<String, Object> result = (Map<String, Object>) api("GET", "/api/v1/tasks/" + task, null).get("result");
        assertThat(result).containsEntry("pushed", true);
    }
}
