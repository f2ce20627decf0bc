package io.agentvine.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.model.Json;
import io.agentvine.queue.testing.TestRedis;
import io.agentvine.worker.clarify.Approvals;
import io.agentvine.worker.agent.AgentAdapters;
import io.agentvine.worker.config.WorkerConfig;
import io.agentvine.worker.config.WorkerConfigLoader;
import io.agentvine.worker.controlplane.ControllerClient;
import io.agentvine.worker.delivery.PullRequests;
import io.agentvine.worker.workspace.GitCredentials;
import io.agentvine.worker.workspace.TestRepositories;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * A small real fleet for end-to-end tests: a controller in-process on H2, a real Redis, a bare git
 * repository (seeded with the given files) and workers built from environment maps, as
 * {@code WorkerMain} builds them. Tasks go in through the controller's API, as an operator sends them.
 */
public final class TestFleet implements AutoCloseable {
    public final String admin = "admin-" + UUID.randomUUID();
    public final String workerKey = "wk-" + UUID.randomUUID();
    public final String namespace = TestRedis.uniqueNamespace();
    public final RedisClient redis = TestRedis.client();
    public final Path tmp;
    public final Path bare;
    public EmbeddedServer controller;
    public final int port;
    private final Map<String, Object> controllerSettings;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<WorkerRuntime> workers = new ArrayList<>();

    /** @param files the seed repository's files, path → content; {@code mvnw} and {@code *.sh} are made executable */
    public TestFleet(Path tmp, Map<String, String> files, Map<String, Object> controllerSettings) throws Exception {
        this.tmp = tmp;
        Path seed = Files.createDirectories(tmp.resolve("seed"));
        git(seed, "init");
        Map<String, String> all = new HashMap<>(Map.of("README.md", "# shop\n"));
        all.putAll(files);
        for (var f : all.entrySet()) {
            Path p = seed.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue());
            if (f.getKey().endsWith("mvnw") || f.getKey().endsWith(".sh")) {
                p.toFile().setExecutable(true);
            }
        }
        git(seed, "add", ".");
        git(seed, "commit", "-m", "first");
        bare = tmp.resolve("shop.git");
        git(tmp, "clone", "--bare", seed.toString(), bare.toString());
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, Object> settings = new HashMap<>(Map.of(
                "datasources.default.url", "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
                "micronaut.server.port", port,
                "agentvine.redis-url", TestRedis.uri(),
                "agentvine.queue-namespace", namespace,
                "agentvine.admin-keys", admin,
                "agentvine.worker-keys", "pool:" + workerKey + ":*",
                "agentvine.allow-file-repositories", true,
                "agentvine.heartbeat-interval", "1s",
                "agentvine.lease", "3s",
                "agentvine.health-check-interval", "500ms"));
        settings.putAll(controllerSettings);
        this.controllerSettings = Map.copyOf(settings);
        controller = ApplicationContext.run(EmbeddedServer.class, this.controllerSettings);
    }

    /** Stops the controller and starts it again on the same port, database and Redis: as a deploy or a crash does. */
    public void restartController() {
        stopController();
        controller = ApplicationContext.run(EmbeddedServer.class, controllerSettings);
    }

    public void stopController() {
        if (controller != null) {
            controller.close();
            controller = null;
        }
    }

    /** A worker in its own JVM ({@code WorkerMain}), output to {@code <name>.log} in the temp directory. */
    public Process workerJvm(String name, Map<String, String> overrides) throws Exception {
        return workerJvm(name, overrides, List.of());
    }

    /** As above, with JVM options ({@code -Dlogback.configurationFile=logback.xml}: the image's log configuration). */
    public Process workerJvm(String name, Map<String, String> overrides, List<String> jvmOptions) throws Exception {
        return workerJvm(name, overrides, jvmOptions, List.of());
    }

    /** As above, with command-line arguments for {@code WorkerMain} ({@code --once}). */
    public Process workerJvm(String name, Map<String, String> overrides, List<String> jvmOptions, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.agentvine.worker.WorkerMain"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(tmp.resolve(name + ".log").toFile());
        Map<String, String> env = workerEnv(overrides);
        env.put("AGENTVINE_WORKER_NAME", name);
        env.put("AGENTVINE_WORKSPACE_DIR", tmp.resolve("ws-" + name).toString());
        env.put("AGENTVINE_LOG_DIR", tmp.resolve("logs-" + name).toString());
        pb.environment().putAll(env);
        return pb.start();
    }

    public static String git(Path dir, String... args) throws Exception {
        return TestRepositories.git(dir, args);
    }

    /** A bash script agent in the temp directory. */
    public Path agent(String body) throws Exception {
        Path p = tmp.resolve("agent-" + UUID.randomUUID() + ".sh");
        Files.writeString(p, "#!/usr/bin/env bash\nset -e\n" + body);
        p.toFile().setExecutable(true);
        return p;
    }

    /** The settings every test worker shares; {@code overrides} win. */
    public Map<String, String> workerEnv(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("AGENTVINE_CONTROLLER_URL", "http://127.0.0.1:" + port);
        env.put("AGENTVINE_API_KEY", workerKey);
        env.put("REDIS_URL", TestRedis.uri());
        env.put("AGENTVINE_QUEUE_NAMESPACE", namespace);
        env.put("AGENTVINE_WORKER_TYPES", "feature,bugfix,test,docs,refactor,review");
        env.put("AGENTVINE_WORKER_NAME", "test-worker");
        env.put("AGENTVINE_WORKSPACE_DIR", tmp.resolve("workspaces").toString());
        env.put("AGENTVINE_LOG_DIR", tmp.resolve("logs").toString());
        env.put("AGENTVINE_HEARTBEAT_INTERVAL", "1s");
        env.put("AGENTVINE_MIN_FREE_DISK_MB", "0");
        env.put("AGENTVINE_MIN_FREE_MEMORY_MB", "0");
        env.put("AGENTVINE_SHUTDOWN_GRACE", "2s");
        env.putAll(overrides);
        return env;
    }

    public WorkerRuntime startWorker(Map<String, String> overrides) {
        return startWorker(overrides, null, null);
    }

    public WorkerRuntime startWorker(Map<String, String> overrides, Approvals approvals, PullRequests prs) {
        WorkerRuntime w = newWorker(overrides, approvals, prs, UnaryOperator.identity());
        w.start();
        return w;
    }

    /** A worker whose agent also sees {@code agentEnvironment} (model keys and the like, as if in the worker's environment). */
    public WorkerRuntime startWorkerWithAgentEnvironment(Map<String, String> overrides, Map<String, String> agentEnvironment) {
        WorkerRuntime w = newWorker(overrides, null, null, UnaryOperator.identity(), agentEnvironment);
        w.start();
        return w;
    }

    /** A worker whose claim iterations go through {@code claims} (to inject failures into them). */
    WorkerRuntime startWorker(Map<String, String> overrides, UnaryOperator<ClaimLoop.ClaimSource> claims) {
        WorkerRuntime w = newWorker(overrides, null, null, claims);
        w.start();
        return w;
    }

    /** Built as {@code WorkerMain} builds a worker, with {@code claims} wrapping its claim source. */
    private WorkerRuntime newWorker(Map<String, String> overrides, Approvals approvals, PullRequests prs,
                                    UnaryOperator<ClaimLoop.ClaimSource> claims) {
        return newWorker(overrides, approvals, prs, claims, Map.of());
    }

    private WorkerRuntime newWorker(Map<String, String> overrides, Approvals approvals, PullRequests prs,
                                    UnaryOperator<ClaimLoop.ClaimSource> claims, Map<String, String> agentEnvironment) {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.putAll(agentEnvironment);
        WorkerConfig config = WorkerConfigLoader.load(workerEnv(overrides));
        WorkerRuntime w = WorkerAssembly.build(new WorkerDependencies(config,
                new ControllerClient(config.controllerUrl(), config.apiKey(), Duration.ofSeconds(5)), io.agentvine.queue.redis.RedisEndpoint.wrap(redis),
                new WorkspaceManager(config.workspaceDir(), 1, false, GitCredentials.none(), config.gitTimeout()),
                AgentAdapters.create(config, environment), prs, approvals, AgentAdapters.testEnvironment(System.getenv()),
                Clock.systemUTC()), claims);
        workers.add(w);
        return w;
    }

    public Map<String, Object> api(String method, String path, String body) throws Exception {
        HttpResponse<String> r = call(method, path, body);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isLessThan(300);
        return Json.read(r.body(), Map.class);
    }

    public HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Creates a task; {@code extra} is more JSON fields, e.g. {@code "test_command":"make test"}. */
    public String createTask(String type, String title, String instructions, String permission, String extra) throws Exception {
        String body = "{\"type\":\"" + type + "\",\"repository_url\":\"" + bare.toUri() + "\",\"branch\":\"main\",\"title\":"
                + Json.write(title) + ",\"instructions\":" + Json.write(instructions) + ",\"permission_level\":\"" + permission
                + "\",\"priority\":\"P1\"" + (extra == null || extra.isBlank() ? "" : "," + extra) + "}";
        return (String) api("POST", "/api/v1/tasks", body).get("id");
    }

    public Map<String, Object> task(String id) throws Exception {
        return api("GET", "/api/v1/tasks/" + id, null);
    }

    public String state(String id) throws Exception {
        return (String) task(id).get("state");
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> result(String id) throws Exception {
        Object r = task(id).get("result");
        return r == null ? Map.of() : (Map<String, Object>) r;
    }

    public String log(String taskId) throws Exception {
        return Files.readString(tmp.resolve("logs").resolve(taskId + ".log"));
    }

    @Override
    public void close() {
        workers.forEach(WorkerRuntime::close);
        stopController();
        redis.shutdown();
    }
}
