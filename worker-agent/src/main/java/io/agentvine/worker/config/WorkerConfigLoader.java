package io.agentvine.worker.config;

import io.agentvine.queue.redis.RedisEndpoint;
import io.agentvine.model.ModelTier;
import io.agentvine.model.TaskType;
import io.agentvine.worker.livelog.LiveLogSettings;
import io.agentvine.worker.metrics.MetricsSettings;
import io.agentvine.worker.workspace.RepositoryCacheSettings;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the worker's configuration from environment variables and an optional YAML file
 * ({@code AGENTVINE_CONFIG}); an environment variable wins over the file. The file uses the same
 * names in lower case without the prefix ({@code worker_types: [feature]}, {@code api_key: …}).
 * Every problem is collected and reported together, naming the variable.
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>variable</th><th>default</th></tr>
 * <tr><td>AGENTVINE_CONTROLLER_URL</td><td>required</td></tr>
 * <tr><td>AGENTVINE_API_KEY</td><td>required (a worker key of the controller)</td></tr>
 * <tr><td>REDIS_URL</td><td>redis://127.0.0.1:6379</td></tr>
 * <tr><td>AGENTVINE_QUEUE_NAMESPACE</td><td>wo</td></tr>
 * <tr><td>AGENTVINE_WORKER_TYPES</td><td>required, comma-separated</td></tr>
 * <tr><td>AGENTVINE_CUSTOM_TASK_TYPES</td><td>none (custom types this worker may serve)</td></tr>
 * <tr><td>AGENTVINE_WORKER_NAME</td><td>HOSTNAME, else "worker"</td></tr>
 * <tr><td>AGENTVINE_MAX_CONCURRENT_TASKS</td><td>1 (1–64)</td></tr>
 * <tr><td>AGENTVINE_WORKSPACE_DIR / AGENTVINE_KEEP_WORKSPACES</td><td>/tmp/agentvine/workspaces / false</td></tr>
 * <tr><td>AGENTVINE_GIT_TIMEOUT</td><td>60s (connect and read-idle limit of every clone, fetch, push and pull-request call)</td></tr>
 * <tr><td>AGENTVINE_REPO_CACHE / _DIR / _MAX_BYTES</td><td>on / &lt;workspace dir&gt;/.repo-cache / 10G (see RepositoryCacheSettings)</td></tr>
 * <tr><td>AGENTVINE_LOG_DIR</td><td>logs</td></tr>
 * <tr><td>AGENTVINE_LOG_RETENTION / AGENTVINE_LOG_MAX_LINES</td><td>24h / 10000 (the live log in Redis: how long an ended attempt's
 *     lines stay readable, about how many lines an attempt keeps)</td></tr>
 * <tr><td>AGENTVINE_AGENT / AGENTVINE_AGENT_COMMAND</td><td>demo / (argv for the command adapter, space-separated)</td></tr>
 * <tr><td>AGENTVINE_MODEL_PREMIUM / _STANDARD / _BUDGET</td><td>opus / sonnet / haiku</td></tr>
 * <tr><td>AGENTVINE_TASK_TIMEOUT</td><td>3600s</td></tr>
 * <tr><td>AGENTVINE_HEARTBEAT_INTERVAL</td><td>the controller's</td></tr>
 * <tr><td>AGENTVINE_MIN_FREE_MEMORY_MB / AGENTVINE_MIN_FREE_DISK_MB</td><td>256 / 1024</td></tr>
 * <tr><td>AGENTVINE_SHUTDOWN_GRACE</td><td>60s</td></tr>
 * <tr><td>AGENTVINE_EXIT_WHEN_DRAINED</td><td>false (true: a drained worker stops and exits 0 by itself)</td></tr>
 * <tr><td>AGENTVINE_ONCE / AGENTVINE_ONCE_IDLE_EXIT</td><td>false (true, or the argument {@code --once}: one order, then exit 0) /
 *     2m (with nothing claimed by then, exit 0)</td></tr>
 * <tr><td>AGENTVINE_GIT_AUTHOR_NAME / _EMAIL</td><td>AgentVine / agentvine@localhost</td></tr>
 * <tr><td>AGENTVINE_GITHUB_API_URL</td><td>https://api.github.com</td></tr>
 * <tr><td>AGENTVINE_AGENT_BINARY</td><td>claude / codex / aider (the adapter's CLI)</td></tr>
 * <tr><td>AGENTVINE_CLAUDE_PERMISSION_MODE / _ALLOWED_TOOLS / _MAX_TURNS</td><td>acceptEdits / Read,Edit,MultiEdit,Write,Glob,Grep,Bash / 50</td></tr>
 * <tr><td>AGENTVINE_CODEX_SANDBOX</td><td>workspace-write</td></tr>
 * <tr><td>AGENTVINE_STALL_TIMEOUT</td><td>10m (no output for this long: the run is stopped as stalled)</td></tr>
 * <tr><td>AGENTVINE_PRICES_FILE / AGENTVINE_TEMPLATES_DIR / AGENTVINE_TASK_TYPES_FILE</td><td>none (built-in prices, templates, the six types)</td></tr>
 * <tr><td>AGENTVINE_DEMO_STEP_DELAY</td><td>0 (the demo agent's pause between steps)</td></tr>
 * <tr><td>AGENTVINE_APPROVAL_TIMEOUT / AGENTVINE_CLARIFICATION_TIMEOUT</td><td>8h / 8h</td></tr>
 * <tr><td>AGENTVINE_PARK_AFTER</td><td>2m (a question or approval unanswered this long parks the run and frees its slot; 0: at
 *     once; off: never)</td></tr>
 * <tr><td>AGENTVINE_CLARIFICATION_POLICY</td><td>continue (or fail: an unanswered question ends the task as needs_clarification)</td></tr>
 * <tr><td>AGENTVINE_WORKER_METRICS_PORT / _ADDRESS</td><td>off / 0.0.0.0 (the worker's own Prometheus /metrics: port 1–65535)</td></tr>
 * </table>
 * Durations accept {@code 90}, {@code 90s}, {@code 15m}, {@code 1h} or ISO-8601 ({@code PT90S}).
 */
public final class WorkerConfigLoader {
    private WorkerConfigLoader() {
    }

    public static WorkerConfig fromEnvironment() {
        return load(System.getenv());
    }

    public static WorkerConfig load(Map<String, String> env) {
        return build(new Settings(env));
    }

    /** Parses a duration: {@code 90}, {@code 90s}, {@code 250ms}, {@code 15m}, {@code 1h} or ISO-8601; null when it is none. */
    static Duration parseDuration(String v) {
        return Settings.parseDuration(v);
    }

    private static WorkerConfig build(Settings s) {
        URI controller = s.uri("AGENTVINE_CONTROLLER_URL", null, true);
        String apiKey = s.text("AGENTVINE_API_KEY", null);
        if (apiKey == null) {
            s.problem("AGENTVINE_API_KEY: is required (a worker key the controller knows)");
        }
        String redis = s.text("REDIS_URL", "redis://127.0.0.1:6379");
        if (!RedisEndpoint.hasKnownScheme(redis)) {
            s.problem("REDIS_URL: must start with redis://, rediss://, redis-sentinel:// or redis-cluster://, was '"
                    + WorkerConfig.redact(redis) + "'");
        }
        String namespace = s.text("AGENTVINE_QUEUE_NAMESPACE", "wo");
        List<TaskType> types = WorkerTypesSection.read(s);
        String name = s.text("AGENTVINE_WORKER_NAME", s.environment("HOSTNAME", "worker"));
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            s.problem("AGENTVINE_WORKER_NAME: '" + name + "' must be 1-64 characters of A-Z a-z 0-9 . _ -");
        }
        int slots = (int) s.number("AGENTVINE_MAX_CONCURRENT_TASKS", WorkerConfig.DEFAULT_MAX_CONCURRENT_TASKS, 1, 64);
        Path workspace = Path.of(s.text("AGENTVINE_WORKSPACE_DIR", "/tmp/agentvine/workspaces"));
        boolean keep = s.bool("AGENTVINE_KEEP_WORKSPACES", false);
        List<String> cacheProblems = new ArrayList<>();
        RepositoryCacheSettings repositoryCache = RepositoryCacheSettings.read(s::raw, workspace, cacheProblems);
        cacheProblems.forEach(s::problem);
        Duration gitTimeout = s.duration("AGENTVINE_GIT_TIMEOUT", WorkerConfig.DEFAULT_GIT_TIMEOUT);
        if (gitTimeout.toMillis() < 1000) {
            s.problem("AGENTVINE_GIT_TIMEOUT: must be at least 1s (git counts it in whole seconds), was " + gitTimeout.toMillis() + "ms");
        }
        Path logs = Path.of(s.text("AGENTVINE_LOG_DIR", "logs"));
        String agent = s.text("AGENTVINE_AGENT", "demo").toLowerCase(Locale.ROOT);
        if (!WorkerConfig.AGENTS.contains(agent)) {
            s.problem("AGENTVINE_AGENT: '" + agent + "' is not one of " + String.join(", ", WorkerConfig.AGENTS));
        }
        String commandText = s.text("AGENTVINE_AGENT_COMMAND", null);
        List<String> command = commandText == null ? List.of() : List.of(commandText.trim().split("\\s+"));
        if (agent.equals("command") && command.isEmpty()) {
            s.problem("AGENTVINE_AGENT_COMMAND: is required when AGENTVINE_AGENT is 'command'");
        }
        Map<ModelTier, String> models = new EnumMap<>(ModelTier.class);
        models.put(ModelTier.PREMIUM, s.text("AGENTVINE_MODEL_PREMIUM", "opus"));
        models.put(ModelTier.STANDARD, s.text("AGENTVINE_MODEL_STANDARD", "sonnet"));
        models.put(ModelTier.BUDGET, s.text("AGENTVINE_MODEL_BUDGET", "haiku"));
        Duration timeout = s.duration("AGENTVINE_TASK_TIMEOUT", WorkerConfig.DEFAULT_TASK_TIMEOUT);
        Optional<Duration> heartbeat = Optional.ofNullable(s.duration("AGENTVINE_HEARTBEAT_INTERVAL", null));
        long memory = s.number("AGENTVINE_MIN_FREE_MEMORY_MB", WorkerConfig.DEFAULT_MIN_FREE_MEMORY_MB, 0, 1 << 24);
        long disk = s.number("AGENTVINE_MIN_FREE_DISK_MB", WorkerConfig.DEFAULT_MIN_FREE_DISK_MB, 0, 1 << 30);
        Duration grace = s.duration("AGENTVINE_SHUTDOWN_GRACE", WorkerConfig.DEFAULT_SHUTDOWN_GRACE);
        boolean exitWhenDrained = s.bool("AGENTVINE_EXIT_WHEN_DRAINED", false);
        String author = s.text("AGENTVINE_GIT_AUTHOR_NAME", "AgentVine");
        String email = s.text("AGENTVINE_GIT_AUTHOR_EMAIL", "agentvine@localhost");
        URI github = s.uri("AGENTVINE_GITHUB_API_URL", "https://api.github.com", false);
        AgentSettings agentSettings = AgentSection.read(s, agent);
        LiveLogSettings liveLog = liveLog(s);
        MetricsSettings metrics = metrics(s);
        RunOnce once = RunOnce.read(s);
        if (!s.problems().isEmpty()) {
            throw new WorkerConfigException(s.problems());
        }
        return new WorkerConfig(controller, apiKey, redis, namespace, types, name, slots, workspace, keep, repositoryCache, gitTimeout, logs, agent,
                command, models, timeout, heartbeat, memory, disk, grace, exitWhenDrained, author, email, github, agentSettings, liveLog, metrics, once);
    }

    /** The worker's /metrics: AGENTVINE_WORKER_METRICS_PORT (unset: off), AGENTVINE_WORKER_METRICS_ADDRESS. */
    private static MetricsSettings metrics(Settings s) {
        long port = s.number(MetricsSettings.PORT_VARIABLE, 0, 1, 65535);
        String address = s.text(MetricsSettings.ADDRESS_VARIABLE, MetricsSettings.DEFAULT_ADDRESS);
        try {
            InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            s.problem(MetricsSettings.ADDRESS_VARIABLE + ": '" + address + "' is not an address of this machine (e.g. 0.0.0.0, 127.0.0.1, ::)");
        }
        if (s.raw(MetricsSettings.PORT_VARIABLE) == null || port < 1 || port > 65535) {
            return MetricsSettings.OFF; // unset, or a problem reported above
        }
        return new MetricsSettings(address, (int) port);
    }

    /** The live log: AGENTVINE_LOG_RETENTION (how long an ended attempt's log stays readable), AGENTVINE_LOG_MAX_LINES. */
    private static LiveLogSettings liveLog(Settings s) {
        LiveLogSettings d = LiveLogSettings.defaults();
        Duration retention = s.duration("AGENTVINE_LOG_RETENTION", d.retention());
        if (retention.toSeconds() < 1) {
            s.problem("AGENTVINE_LOG_RETENTION: must be at least 1s, was " + retention.toMillis() + "ms");
            retention = d.retention();
        }
        long maxLines = s.number("AGENTVINE_LOG_MAX_LINES", d.maxLines(), 100, 10_000_000);
        return d.with(retention, maxLines < 100 || maxLines > 10_000_000 ? d.maxLines() : maxLines); // out of range: reported above
    }
}
