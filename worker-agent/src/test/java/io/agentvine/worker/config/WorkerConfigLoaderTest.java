package io.agentvine.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentvine.model.ModelTier;
import io.agentvine.model.TaskType;
import io.agentvine.worker.workspace.RepositoryCacheSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerConfigLoaderTest {
    private static Map<String, String> minimal() {
        Map<String, String> env = new HashMap<>();
        env.put("AGENTVINE_CONTROLLER_URL", "http://controller:8080");
        env.put("AGENTVINE_API_KEY", "wk-secret-123");
        env.put("AGENTVINE_WORKER_TYPES", "feature");
        env.put("HOSTNAME", "feature-worker-7f9c");
        return env;
    }

    @Test
    void the_minimal_environment_gets_the_documented_defaults() {
        WorkerConfig c = WorkerConfigLoader.load(minimal());
        assertThat(c.workerTypes()).containsExactly(TaskType.FEATURE);
        assertThat(c.name()).isEqualTo("feature-worker-7f9c");
        assertThat(c.maxConcurrentTasks()).isEqualTo(1);
        assertThat(c.taskTimeout()).isEqualTo(Duration.ofSeconds(3600));
        assertThat(c.heartbeatInterval()).isEmpty();
        assertThat(c.agent()).isEqualTo("demo");
        assertThat(c.modelFor(ModelTier.PREMIUM)).isEqualTo("opus");
        assertThat(c.redisUrl()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(c.keepWorkspaces()).isFalse();
        assertThat(c.repositoryCache().enabled()).isTrue();
        assertThat(c.repositoryCache().dir()).isEqualTo(c.workspaceDir().resolve(".repo-cache").toAbsolutePath());
        assertThat(c.repositoryCache().maxBytes()).isEqualTo(10L << 30);
        assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.gitTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void environment_variables_set_every_setting() {
        Map<String, String> env = minimal();
        env.put("AGENTVINE_WORKER_TYPES", "feature, bugfix,security-audit");
        env.put("AGENTVINE_CUSTOM_TASK_TYPES", "security-audit");
        env.put("AGENTVINE_MAX_CONCURRENT_TASKS", "3");
        env.put("AGENTVINE_TASK_TIMEOUT", "45m");
        env.put("AGENTVINE_HEARTBEAT_INTERVAL", "PT10S");
        env.put("AGENTVINE_AGENT", "command");
        env.put("AGENTVINE_AGENT_COMMAND", "./agent.sh --fast");
        env.put("AGENTVINE_KEEP_WORKSPACES", "yes");
        env.put("AGENTVINE_REPO_CACHE_DIR", "/var/cache/agentvine/repos");
        env.put("AGENTVINE_REPO_CACHE_MAX_BYTES", "512M");
        env.put("AGENTVINE_MODEL_BUDGET", "claude-haiku-4-5");
        env.put("AGENTVINE_GIT_TIMEOUT", "2m");
        WorkerConfig c = WorkerConfigLoader.load(env);
        assertThat(c.gitTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.workerTypes()).containsExactly(TaskType.FEATURE, TaskType.BUGFIX, TaskType.of("security-audit"));
        assertThat(c.maxConcurrentTasks()).isEqualTo(3);
        assertThat(c.taskTimeout()).isEqualTo(Duration.ofMinutes(45));
        assertThat(c.heartbeatInterval()).contains(Duration.ofSeconds(10));
        assertThat(c.agentCommand()).containsExactly("./agent.sh", "--fast");
        assertThat(c.keepWorkspaces()).isTrue();
        assertThat(c.repositoryCache()).isEqualTo(new RepositoryCacheSettings(true, Path.of("/var/cache/agentvine/repos"), 512L << 20));
        assertThat(c.modelFor(ModelTier.BUDGET)).isEqualTo("claude-haiku-4-5");
    }

    @Test
    void a_yaml_file_provides_settings_and_the_environment_wins(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("worker.yml");
        Files.writeString(yaml, """
                controller_url: http://from-file:8080
                worker_types: [docs, review]
                max_concurrent_tasks: 2
                task_timeout: 20m
                """);
        Map<String, String> env = minimal();
        env.remove("AGENTVINE_WORKER_TYPES");
        env.put("AGENTVINE_CONFIG", yaml.toString());
        env.put("AGENTVINE_MAX_CONCURRENT_TASKS", "4");
        WorkerConfig c = WorkerConfigLoader.load(env);
        assertThat(c.workerTypes()).containsExactly(TaskType.DOCS, TaskType.REVIEW);
        assertThat(c.taskTimeout()).isEqualTo(Duration.ofMinutes(20));
        assertThat(c.maxConcurrentTasks()).as("environment wins").isEqualTo(4);
        assertThat(c.controllerUrl().toString()).isEqualTo("http://controller:8080");
    }

    @Test
    void once_is_off_by_default_and_its_idle_exit_is_checked_naming_the_variable() {
        assertThat(WorkerConfigLoader.load(minimal()).once()).isEqualTo(RunOnce.OFF);
        Map<String, String> env = minimal();
        env.put("AGENTVINE_ONCE", "true");
        env.put("AGENTVINE_ONCE_IDLE_EXIT", "45s");
        assertThat(WorkerConfigLoader.load(env).once()).isEqualTo(new RunOnce(true, Duration.ofSeconds(45)));
        env.put("AGENTVINE_ONCE_IDLE_EXIT", "500ms");
        env.put("AGENTVINE_ONCE", "sometimes");
        assertThatThrownBy(() -> WorkerConfigLoader.load(env)).isInstanceOf(WorkerConfigException.class)
                .hasMessageContaining("AGENTVINE_ONCE_IDLE_EXIT: must be at least 1s")
                .hasMessageContaining("AGENTVINE_ONCE: 'sometimes' is not true or false");
    }

    @Test
    void the_metrics_endpoint_is_off_unless_a_port_is_set() {
        assertThat(WorkerConfigLoader.load(minimal()).metrics().enabled()).isFalse();
        Map<String, String> env = minimal();
        env.put("AGENTVINE_WORKER_METRICS_PORT", "9464");
        WorkerConfig c = WorkerConfigLoader.load(env);
        assertThat(c.metrics().enabled()).isTrue();
        assertThat(c.metrics().port()).isEqualTo(9464);
        assertThat(c.metrics().address()).isEqualTo("0.0.0.0");
        env.put("AGENTVINE_WORKER_METRICS_ADDRESS", "127.0.0.1");
        assertThat(WorkerConfigLoader.load(env).metrics().address()).isEqualTo("127.0.0.1");
    }

    @Test
    void a_bad_metrics_port_or_address_is_named() {
        for (var bad : Map.of("metrics", "'metrics' is not a whole number", "0", "must be between 1 and 65535, was 0",
                "70000", "must be between 1 and 65535, was 70000").entrySet()) {
            Map<String, String> env = minimal();
            env.put("AGENTVINE_WORKER_METRICS_PORT", bad.getKey());
            assertThatThrownBy(() -> WorkerConfigLoader.load(env)).isInstanceOf(WorkerConfigException.class)
                    .hasMessageContaining("AGENTVINE_WORKER_METRICS_PORT: " + bad.getValue());
        }
        Map<String, String> env = minimal();
        env.put("AGENTVINE_WORKER_METRICS_PORT", "9464");
        env.put("AGENTVINE_WORKER_METRICS_ADDRESS", "fe80::zz");
        assertThatThrownBy(() -> WorkerConfigLoader.load(env)).isInstanceOf(WorkerConfigException.class)
                .hasMessageContaining("AGENTVINE_WORKER_METRICS_ADDRESS: 'fe80::zz' is not an address of this machine");
    }

    @Test
    void every_problem_is_reported_at_once_naming_the_variable() {
        Map<String, String> env = new HashMap<>();
        env.put("AGENTVINE_WORKER_TYPES", "feature,painting");
        env.put("AGENTVINE_MAX_CONCURRENT_TASKS", "0");
        env.put("AGENTVINE_TASK_TIMEOUT", "soon");
        env.put("AGENTVINE_AGENT", "gpt-cli");
        env.put("AGENTVINE_KEEP_WORKSPACES", "maybe");
        env.put("REDIS_URL", "http://:pw@redis:6379");
        assertThatThrownBy(() -> WorkerConfigLoader.load(env))
                .isInstanceOfSatisfying(WorkerConfigException.class, e -> {
                    assertThat(e.problems()).hasSize(8);
                    assertThat(e.getMessage()).contains("AGENTVINE_CONTROLLER_URL: is required")
                            .contains("AGENTVINE_API_KEY: is required")
                            .contains("AGENTVINE_WORKER_TYPES: unknown task type 'painting'")
                            .contains("AGENTVINE_MAX_CONCURRENT_TASKS: must be between 1 and 64, was 0")
                            .contains("AGENTVINE_TASK_TIMEOUT: 'soon' is not a positive duration")
                            .contains("AGENTVINE_AGENT: 'gpt-cli' is not one of")
                            .contains("AGENTVINE_KEEP_WORKSPACES: 'maybe' is not true or false")
                            .contains("REDIS_URL: must start with redis://")
                            .doesNotContain(":pw@");
                });
    }

    @Test
    void the_live_logs_retention_and_length_have_defaults_and_are_checked() {
        Map<String, String> env = minimal();
        assertThat(WorkerConfigLoader.load(env).liveLog().retention()).isEqualTo(Duration.ofHours(24));
        assertThat(WorkerConfigLoader.load(env).liveLog().maxLines()).isEqualTo(10_000);
        env.put("AGENTVINE_LOG_RETENTION", "2h");
        env.put("AGENTVINE_LOG_MAX_LINES", "500");
        assertThat(WorkerConfigLoader.load(env).liveLog().retention()).isEqualTo(Duration.ofHours(2));
        assertThat(WorkerConfigLoader.load(env).liveLog().maxLines()).isEqualTo(500);
        env.put("AGENTVINE_LOG_RETENTION", "500ms");
        env.put("AGENTVINE_LOG_MAX_LINES", "0");
        assertThatThrownBy(() -> WorkerConfigLoader.load(env)).isInstanceOf(WorkerConfigException.class)
                .hasMessageContaining("AGENTVINE_LOG_RETENTION: must be at least 1s")
                .hasMessageContaining("AGENTVINE_LOG_MAX_LINES: must be between 100 and 10000000, was 0");
    }

    @Test
    void the_repository_cache_can_be_turned_off_and_its_settings_are_checked() {
        Map<String, String> env = minimal();
        env.put("AGENTVINE_REPO_CACHE", "off");
        assertThat(WorkerConfigLoader.load(env).repositoryCache().enabled()).isFalse();
        env.put("AGENTVINE_REPO_CACHE", "sometimes");
        env.put("AGENTVINE_REPO_CACHE_MAX_BYTES", "lots");
        assertThatThrownBy(() -> WorkerConfigLoader.load(env)).isInstanceOf(WorkerConfigException.class)
                .hasMessageContaining("AGENTVINE_REPO_CACHE: 'sometimes' is not on or off")
                .hasMessageContaining("AGENTVINE_REPO_CACHE_MAX_BYTES: 'lots' is not a size of at least 1 byte");
    }

    @Test
    void the_git_timeout_must_be_a_duration_of_at_least_a_second() {
        for (var bad : Map.of("soon", "'soon' is not a positive duration", "0", "'0' is not a positive duration",
                "500ms", "must be at least 1s (git counts it in whole seconds), was 500ms").entrySet()) {
            Map<String, String> env = minimal();
            env.put("AGENTVINE_GIT_TIMEOUT", bad.getKey());
            assertThatThrownBy(() -> WorkerConfigLoader.load(env)).isInstanceOf(WorkerConfigException.class)
                    .hasMessageContaining("AGENTVINE_GIT_TIMEOUT: " + bad.getValue());
        }
    }

    @Test
    void the_command_adapter_needs_a_command_and_a_missing_config_file_is_reported() {
        Map<String, String> env = minimal();
        env.put("AGENTVINE_AGENT", "command");
        env.put("AGENTVINE_CONFIG", "/nonexistent/worker.yml");
        assertThatThrownBy(() -> WorkerConfigLoader.load(env)).hasMessageContaining("AGENTVINE_AGENT_COMMAND: is required")
                .hasMessageContaining("AGENTVINE_CONFIG: cannot read '/nonexistent/worker.yml'");
    }

    @Test
    void secrets_never_appear_in_the_configs_text() {
        Map<String, String> env = minimal();
        env.put("REDIS_URL", "redis://:redis-pass-9@redis:6379/0");
        String text = WorkerConfigLoader.load(env).toString();
        assertThat(text).doesNotContain("wk-secret-123").doesNotContain("redis-pass-9").contains("apiKey=***");
    }

    @Test
    void sentinel_and_cluster_urls_are_taken_and_their_passwords_kept_out_of_the_text() {
        Map<String, String> env = minimal();
        env.put("REDIS_URL", "redis-sentinel://sentinel-pass-7@s1:26379,s2:26379/0#mymaster");
        WorkerConfig sentinel = WorkerConfigLoader.load(env);
        assertThat(sentinel.redisUrl()).startsWith("redis-sentinel://");
        assertThat(sentinel.toString()).doesNotContain("sentinel-pass-7").contains("redis-sentinel://***@s1:26379");
        env.put("REDIS_URL", "redis-cluster://app:cluster-pass-8@n1:7000,n2:7001");
        assertThat(WorkerConfigLoader.load(env).toString()).doesNotContain("cluster-pass-8").contains("redis-cluster://app:***@n1");
    }

    @Test
    void durations_read_plain_seconds_units_and_iso_8601() {
        assertThat(WorkerConfigLoader.parseDuration("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(WorkerConfigLoader.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(WorkerConfigLoader.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(WorkerConfigLoader.parseDuration("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThat(WorkerConfigLoader.parseDuration("ninety")).isNull();
        assertThat(List.of("1", "1s")).allSatisfy(v -> assertThat(WorkerConfigLoader.parseDuration(v)).isEqualTo(Duration.ofSeconds(1)));
    }
}
