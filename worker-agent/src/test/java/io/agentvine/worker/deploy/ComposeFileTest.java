package io.agentvine.worker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.model.TaskType;
import io.agentvine.worker.config.WorkerConfig;
import io.agentvine.worker.config.WorkerConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The root docker-compose.yml against what the code expects: one worker service per built-in task
 * type whose environment the worker accepts, restart policies, a stop grace period that covers the
 * worker's drain, limits, health checks and start order, a durable Redis, and secrets that only come
 * from .env. Parsed with SnakeYAML (under jackson-dataformat-yaml), which resolves the file's anchors
 * and merge keys as Compose does; {@code ${VAR:-default}} is resolved with the values of .env.example.
 */
class ComposeFileTest {
    /** Time the worker needs after its drain: stop the agent's process tree, release, deregister. */
    private static final Duration SHUTDOWN_MARGIN = Duration.ofSeconds(10);
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(?:(:?[-?])([^}]*))?}");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|ms|m|s|us)");

    static Path root;
    static Map<String, Object> services;
    static Map<String, String> envExample;

    @BeforeAll
    static void load() throws IOException {
        root = repositoryRoot();
        services = map(yaml(root.resolve("docker-compose.yml")).get("services"));
        envExample = envFile(root.resolve(".env.example"));
    }

    @Test
    void every_built_in_task_type_has_its_worker_service() {
        for (TaskType type : TaskType.BUILT_IN) {
            String name = type.name() + "-worker";
            assertThat(services).as("services").containsKey(name);
            assertThat(environment(name)).as(name + " environment").containsEntry("AGENTVINE_WORKER_TYPES", type.name());
        }
    }

    @Test
    void every_worker_service_serves_the_type_it_is_named_after() {
        List<String> workers = workerServices();
        assertThat(workers).hasSameSizeAs(TaskType.BUILT_IN);
        for (String name : workers) {
            assertThat(name).isEqualTo(environment(name).get("AGENTVINE_WORKER_TYPES") + "-worker");
        }
    }

    @Test
    void the_worker_accepts_each_service_environment_with_the_example_env_file() {
        for (String name : workerServices()) {
            Map<String, String> env = new HashMap<>();
            environment(name).forEach((k, v) -> {
                if (v != null && !v.isBlank()) {
                    env.put(k, v);
                }
            });
            WorkerConfig config = WorkerConfigLoader.load(env);
            assertThat(config.workerTypes()).as(name).containsExactly(TaskType.of(name.replace("-worker", "")));
            assertThat(config.controllerUrl().getHost()).as(name).isEqualTo("controller");
            assertThat(config.redisUrl()).as(name).startsWith("redis://:").endsWith("@redis:6379");
        }
    }

    @Test
    void workers_restart_and_their_stop_grace_period_covers_the_drain() {
        for (String name : workerServices()) {
            Map<String, Object> service = service(name);
            assertThat((String) service.get("restart")).as(name + " restart").isIn("always", "unless-stopped", "on-failure");
            String grace = environment(name).get("AGENTVINE_SHUTDOWN_GRACE");
            Duration drain = grace == null ? WorkerConfig.DEFAULT_SHUTDOWN_GRACE
                    : WorkerConfigLoader.load(Map.of("AGENTVINE_CONTROLLER_URL", "http://c:1", "AGENTVINE_API_KEY", "k",
                            "AGENTVINE_WORKER_TYPES", "feature", "AGENTVINE_SHUTDOWN_GRACE", grace)).shutdownGrace();
            Duration stop = composeDuration(resolve(String.valueOf(service.get("stop_grace_period"))));
            assertThat(stop).as(name + " stop_grace_period vs AGENTVINE_SHUTDOWN_GRACE " + drain)
                    .isGreaterThanOrEqualTo(drain.plus(SHUTDOWN_MARGIN));
        }
    }

    @Test
    void every_service_has_a_healthcheck_limits_and_a_restart_policy() {
        assertThat(services).containsKeys("redis", "postgres", "controller");
        for (String name : services.keySet()) {
            Map<String, Object> service = service(name);
            Object test = map(service.get("healthcheck")).get("test");
            assertThat(test).as(name + " healthcheck").isInstanceOf(List.class);
            assertThat((List<?>) test).as(name + " healthcheck").hasSizeGreaterThan(1).first().isIn("CMD", "CMD-SHELL");
            Map<String, Object> limits = map(map(map(service.get("deploy")).get("resources")).get("limits"));
            assertThat(limits).as(name + " limits").containsKeys("cpus", "memory");
            assertThat(Double.parseDouble(resolve(String.valueOf(limits.get("cpus"))))).as(name + " cpus").isPositive();
            assertThat(resolve(String.valueOf(limits.get("memory")))).as(name + " memory").matches("\\d+[kmg]b?");
            assertThat((String) service.get("restart")).as(name + " restart").isIn("always", "unless-stopped");
        }
    }

    @Test
    void services_start_only_after_what_they_need_is_healthy() {
        assertThat(healthyDependencies("controller")).containsExactlyInAnyOrder("redis", "postgres");
        for (String name : workerServices()) {
            assertThat(healthyDependencies(name)).as(name).containsExactlyInAnyOrder("redis", "controller");
        }
    }

    @Test
    void redis_keeps_an_append_only_file_never_evicts_and_needs_a_password() {
        String command = String.join(" ", list(service("redis").get("command")).stream().map(String::valueOf).toList());
        assertThat(command).contains("--appendonly yes", "--appendfsync everysec", "--maxmemory-policy noeviction",
                "--requirepass");
        assertThat(list(service("redis").get("volumes")).toString()).contains(":/data");
        assertThat(list(service("postgres").get("volumes")).toString()).contains(":/var/lib/postgresql/data");
    }

    @Test
    void the_controller_runs_on_postgresql() {
        Map<String, String> env = environment("controller");
        assertThat(env.get("DATASOURCES_DEFAULT_URL")).startsWith("jdbc:postgresql://postgres:");
        assertThat(env).containsEntry("DATASOURCES_DEFAULT_DRIVER_CLASS_NAME", "org.postgresql.Driver");
        assertThat(env).containsEntry("AGENTVINE_ALLOW_FILE_REPOSITORIES", "false")
                .containsEntry("AGENTVINE_ALLOWED_GIT_HOSTS", ""); // public hosts only unless .env says
    }

    @Test
    void secrets_come_only_from_the_env_file_and_it_is_not_committed() throws IOException {
        Map<String, Object> raw = map(map(yaml(root.resolve("docker-compose.yml")).get("services")).get("controller"));
        Map<String, Object> env = map(raw.get("environment"));
        for (String secret : List.of("AGENTVINE_ADMIN_KEYS", "AGENTVINE_WORKER_KEYS", "DATASOURCES_DEFAULT_PASSWORD", "REDIS_URL")) {
            assertThat(String.valueOf(env.get(secret))).as(secret).containsPattern("\\$\\{[A-Z_]+:\\?");
        }
        // Every variable the compose file requires is in .env.example.
        Matcher m = VARIABLE.matcher(Files.readString(root.resolve("docker-compose.yml")));
        while (m.find()) {
            if (":?".equals(m.group(2))) {
                assertThat(envExample).as(".env.example").containsKey(m.group(1));
            }
        }
        assertThat(Files.readAllLines(root.resolve(".gitignore"))).contains(".env");
        assertThat(Files.readString(root.resolve(".dockerignore"))).contains(".env");
    }

    @Test
    void the_host_network_override_covers_every_service() throws IOException {
        Map<String, Object> override = map(yaml(root.resolve("deploy/docker-compose.host-network.yml")).get("services"));
        assertThat(override.keySet()).containsExactlyInAnyOrderElementsOf(services.keySet());
        for (String name : services.keySet()) {
            Map<String, Object> service = map(override.get(name));
            assertThat(service.get("network_mode")).as(name).isEqualTo("host");
            assertThat(list(service.get("extra_hosts")).stream().map(String::valueOf).toList()).as(name).contains("redis:127.0.0.1", "postgres:127.0.0.1",
                    "controller:127.0.0.1");
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static List<String> workerServices() {
        return services.keySet().stream().filter(n -> environment(n).containsKey("AGENTVINE_WORKER_TYPES")).toList();
    }

    private static Map<String, Object> service(String name) {
        return map(services.get(name));
    }

    /** A service's environment with ${...} resolved against .env.example; null stays null (pass-through). */
    private static Map<String, String> environment(String name) {
        Map<String, String> env = new LinkedHashMap<>();
        map(service(name).get("environment")).forEach((k, v) -> env.put(k, v == null ? null : resolve(String.valueOf(v))));
        return env;
    }

    private static List<String> healthyDependencies(String name) {
        Map<String, Object> deps = map(service(name).get("depends_on"));
        return deps.entrySet().stream()
                .filter(e -> "service_healthy".equals(map(e.getValue()).get("condition")))
                .map(Map.Entry::getKey).toList();
    }

    /** Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}; $$ is a literal $. */
    static String resolve(String text) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = envExample.get(m.group(1));
            if ((value == null || value.isEmpty()) && m.group(2) != null && m.group(2).endsWith("-")) {
                value = m.group(3);
            }
            assertThat(value).as("${" + m.group(1) + "} has no value in .env.example and no default").isNotNull();
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString().replace("$$", "$");
    }

    /** Compose durations: 75s, 1m30s, 1h, 500ms. */
    static Duration composeDuration(String text) {
        Matcher m = DURATION_PART.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            assertThat(m.start()).as("duration '" + text + "'").isEqualTo(end);
            end = m.end();
            double n = Double.parseDouble(m.group(1));
            long nanosPerUnit = switch (m.group(2)) {
                case "h" -> 3_600_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "s" -> 1_000_000_000L;
                case "ms" -> 1_000_000L;
                default -> 1_000L;
            };
            total = total.plusNanos((long) (n * nanosPerUnit));
        }
        assertThat(end).as("duration '" + text + "'").isEqualTo(text.length()).isPositive();
        return total;
    }

    static Map<String, Object> yaml(Path file) throws IOException {
        return map(new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file)));
    }

    static Map<String, String> envFile(Path file) throws IOException {
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            String l = line.trim();
            int eq = l.indexOf('=');
            if (!l.isEmpty() && !l.startsWith("#") && eq > 0) {
                env.put(l.substring(0, eq).trim(), l.substring(eq + 1).trim());
            }
        }
        return env;
    }

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("docker-compose.yml"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("a docker-compose.yml above " + Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    static List<?> list(Object o) {
        assertThat(o).isInstanceOf(List.class);
        return (List<?>) o;
    }
}
