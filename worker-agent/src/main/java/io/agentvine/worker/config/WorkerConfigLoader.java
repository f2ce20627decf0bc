package io.agentvine.worker.config;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.agentvine.model.InvalidMessageException;
import io.agentvine.model.ModelTier;
import io.agentvine.model.TaskType;
import io.agentvine.model.TaskTypes;
import io.agentvine.worker.workspace.RepositoryCacheSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * <tr><td>AGENTVINE_AGENT / AGENTVINE_AGENT_COMMAND</td><td>demo / (argv for the command adapter, space-separated)</td></tr>
 * <tr><td>AGENTVINE_MODEL_PREMIUM / _STANDARD / _BUDGET</td><td>opus / sonnet / haiku</td></tr>
 * <tr><td>AGENTVINE_TASK_TIMEOUT</td><td>3600s</td></tr>
 * <tr><td>AGENTVINE_HEARTBEAT_INTERVAL</td><td>the controller's</td></tr>
 * <tr><td>AGENTVINE_MIN_FREE_MEMORY_MB / AGENTVINE_MIN_FREE_DISK_MB</td><td>256 / 1024</td></tr>
 * <tr><td>AGENTVINE_SHUTDOWN_GRACE</td><td>60s</td></tr>
 * <tr><td>AGENTVINE_EXIT_WHEN_DRAINED</td><td>false (true: a drained worker stops and exits 0 by itself)</td></tr>
 * <tr><td>AGENTVINE_GIT_AUTHOR_NAME / _EMAIL</td><td>AgentVine / agentvine@localhost</td></tr>
 * <tr><td>AGENTVINE_GITHUB_API_URL</td><td>https://api.github.com</td></tr>
 * <tr><td>AGENTVINE_AGENT_BINARY</td><td>claude / codex / aider (the adapter's CLI)</td></tr>
 * <tr><td>AGENTVINE_CLAUDE_PERMISSION_MODE / _ALLOWED_TOOLS / _MAX_TURNS</td><td>acceptEdits / Read,Edit,MultiEdit,Write,Glob,Grep,Bash / 50</td></tr>
 * <tr><td>AGENTVINE_CODEX_SANDBOX</td><td>workspace-write</td></tr>
 * <tr><td>AGENTVINE_STALL_TIMEOUT</td><td>10m (no output for this long: the run is stopped as stalled)</td></tr>
 * <tr><td>AGENTVINE_PRICES_FILE / AGENTVINE_TEMPLATES_DIR / AGENTVINE_TASK_TYPES_FILE</td><td>none (built-in prices, templates, the six types)</td></tr>
 * <tr><td>AGENTVINE_DEMO_STEP_DELAY</td><td>0 (the demo agent's pause between steps)</td></tr>
 * <tr><td>AGENTVINE_APPROVAL_TIMEOUT / AGENTVINE_CLARIFICATION_TIMEOUT</td><td>30m / 30m</td></tr>
 * <tr><td>AGENTVINE_CLARIFICATION_POLICY</td><td>continue (or fail: an unanswered question ends the task as needs_clarification)</td></tr>
 * </table>
 * Durations accept {@code 90}, {@code 90s}, {@code 15m}, {@code 1h} or ISO-8601 ({@code PT90S}).
 */
public final class WorkerConfigLoader {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Map<String, String> env;
    private final Map<String, String> file = new HashMap<>();
    private final List<String> problems = new ArrayList<>();

    private WorkerConfigLoader(Map<String, String> env) {
        this.env = env;
    }

    public static WorkerConfig fromEnvironment() {
        return load(System.getenv());
    }

    public static WorkerConfig load(Map<String, String> env) {
        return new WorkerConfigLoader(env).build();
    }

    private WorkerConfig build() {
        readFile();
        URI controller = uri("AGENTVINE_CONTROLLER_URL", null, true);
        String apiKey = text("AGENTVINE_API_KEY", null);
        if (apiKey == null) {
            problems.add("AGENTVINE_API_KEY: is required (a worker key the controller knows)");
        }
        String redis = text("REDIS_URL", "redis://127.0.0.1:6379");
        if (!redis.startsWith("redis://") && !redis.startsWith("rediss://")) {
            problems.add("REDIS_URL: must start with redis:// or rediss://, was '" + WorkerConfig.redact(redis) + "'");
        }
        String namespace = text("AGENTVINE_QUEUE_NAMESPACE", "wo");
        List<TaskType> types = types();
        String name = text("AGENTVINE_WORKER_NAME", env.getOrDefault("HOSTNAME", "worker"));
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            problems.add("AGENTVINE_WORKER_NAME: '" + name + "' must be 1-64 characters of A-Z a-z 0-9 . _ -");
        }
        int slots = (int) number("AGENTVINE_MAX_CONCURRENT_TASKS", WorkerConfig.DEFAULT_MAX_CONCURRENT_TASKS, 1, 64);
        Path workspace = Path.of(text("AGENTVINE_WORKSPACE_DIR", "/tmp/agentvine/workspaces"));
        boolean keep = bool("AGENTVINE_KEEP_WORKSPACES", false);
        RepositoryCacheSettings repositoryCache = RepositoryCacheSettings.read(this::raw, workspace, problems);
        Duration gitTimeout = duration("AGENTVINE_GIT_TIMEOUT", WorkerConfig.DEFAULT_GIT_TIMEOUT);
        if (gitTimeout.toMillis() < 1000) {
            problems.add("AGENTVINE_GIT_TIMEOUT: must be at least 1s (git counts it in whole seconds), was " + gitTimeout.toMillis() + "ms");
        }
        Path logs = Path.of(text("AGENTVINE_LOG_DIR", "logs"));
        String agent = text("AGENTVINE_AGENT", "demo").toLowerCase(Locale.ROOT);
        if (!WorkerConfig.AGENTS.contains(agent)) {
            problems.add("AGENTVINE_AGENT: '" + agent + "' is not one of " + String.join(", ", WorkerConfig.AGENTS));
        }
        String commandText = text("AGENTVINE_AGENT_COMMAND", null);
        List<String> command = commandText == null ? List.of() : List.of(commandText.trim().split("\\s+"));
        if (agent.equals("command") && command.isEmpty()) {
            problems.add("AGENTVINE_AGENT_COMMAND: is required when AGENTVINE_AGENT is 'command'");
        }
        Map<ModelTier, String> models = new EnumMap<>(ModelTier.class);
        models.put(ModelTier.PREMIUM, text("AGENTVINE_MODEL_PREMIUM", "opus"));
        models.put(ModelTier.STANDARD, text("AGENTVINE_MODEL_STANDARD", "sonnet"));
        models.put(ModelTier.BUDGET, text("AGENTVINE_MODEL_BUDGET", "haiku"));
        Duration timeout = duration("AGENTVINE_TASK_TIMEOUT", WorkerConfig.DEFAULT_TASK_TIMEOUT);
        Optional<Duration> heartbeat = Optional.ofNullable(duration("AGENTVINE_HEARTBEAT_INTERVAL", null));
        long memory = number("AGENTVINE_MIN_FREE_MEMORY_MB", WorkerConfig.DEFAULT_MIN_FREE_MEMORY_MB, 0, 1 << 24);
        long disk = number("AGENTVINE_MIN_FREE_DISK_MB", WorkerConfig.DEFAULT_MIN_FREE_DISK_MB, 0, 1 << 30);
        Duration grace = duration("AGENTVINE_SHUTDOWN_GRACE", WorkerConfig.DEFAULT_SHUTDOWN_GRACE);
        boolean exitWhenDrained = bool("AGENTVINE_EXIT_WHEN_DRAINED", false);
        String author = text("AGENTVINE_GIT_AUTHOR_NAME", "AgentVine");
        String email = text("AGENTVINE_GIT_AUTHOR_EMAIL", "agentvine@localhost");
        URI github = uri("AGENTVINE_GITHUB_API_URL", "https://api.github.com", false);
        AgentSettings agentSettings = agentSettings(agent);
        if (!problems.isEmpty()) {
            throw new WorkerConfigException(problems);
        }
        return new WorkerConfig(controller, apiKey, redis, namespace, types, name, slots, workspace, keep, repositoryCache, gitTimeout, logs, agent,
                command, models, timeout, heartbeat, memory, disk, grace, exitWhenDrained, author, email, github, agentSettings);
    }

    private AgentSettings agentSettings(String agent) {
        AgentSettings d = AgentSettings.defaults(agent);
        String binary = text("AGENTVINE_AGENT_BINARY", d.binary());
        String mode = text("AGENTVINE_CLAUDE_PERMISSION_MODE", d.permissionMode());
        if (!AgentSettings.PERMISSION_MODES.contains(mode)) {
            problems.add("AGENTVINE_CLAUDE_PERMISSION_MODE: '" + mode + "' is not one of " + String.join(", ", AgentSettings.PERMISSION_MODES));
        }
        String toolsText = text("AGENTVINE_CLAUDE_ALLOWED_TOOLS", String.join(",", d.allowedTools()));
        List<String> tools = List.of(toolsText.trim().split("\\s*,\\s*"));
        for (String tool : tools) {
            // Each tool becomes one argument; one that looks like a flag would be read as one.
            if (tool.isEmpty() || tool.startsWith("-")) {
                problems.add("AGENTVINE_CLAUDE_ALLOWED_TOOLS: '" + tool + "' is not a tool name (e.g. Read,Edit,Bash(git diff:*))");
            }
        }
        int maxTurns = (int) number("AGENTVINE_CLAUDE_MAX_TURNS", d.defaultMaxTurns(), 1, 10_000);
        String sandbox = text("AGENTVINE_CODEX_SANDBOX", d.codexSandbox());
        if (!AgentSettings.CODEX_SANDBOXES.contains(sandbox)) {
            problems.add("AGENTVINE_CODEX_SANDBOX: '" + sandbox + "' is not one of " + String.join(", ", AgentSettings.CODEX_SANDBOXES));
        }
        Duration stall = duration("AGENTVINE_STALL_TIMEOUT", d.stallTimeout());
        Optional<Path> prices = file("AGENTVINE_PRICES_FILE", false);
        Optional<Path> templates = file("AGENTVINE_TEMPLATES_DIR", true);
        Optional<Path> types = file("AGENTVINE_TASK_TYPES_FILE", false);
        String delayText = raw("AGENTVINE_DEMO_STEP_DELAY");
        Duration delay = delayText == null || delayText.equals("0") ? Duration.ZERO : duration("AGENTVINE_DEMO_STEP_DELAY", Duration.ZERO);
        Duration approval = duration("AGENTVINE_APPROVAL_TIMEOUT", d.approvalTimeout());
        Duration question = duration("AGENTVINE_CLARIFICATION_TIMEOUT", d.questionTimeout());
        String policy = text("AGENTVINE_CLARIFICATION_POLICY", "continue");
        if (!policy.equals("continue") && !policy.equals("fail")) {
            problems.add("AGENTVINE_CLARIFICATION_POLICY: '" + policy + "' is not continue or fail");
        }
        if ((agent.equals("claude-code") || agent.equals("codex") || agent.equals("aider")) && binary.isBlank()) {
            problems.add("AGENTVINE_AGENT_BINARY: must name the " + agent + " program");
        }
        return new AgentSettings(binary, mode, tools, maxTurns, sandbox, stall, prices, templates, types, delay, approval, question,
                policy.equals("fail"));
    }

    private Optional<Path> file(String variable, boolean directory) {
        String v = raw(variable);
        if (v == null) {
            return Optional.empty();
        }
        Path p = Path.of(v);
        if (directory ? !Files.isDirectory(p) : !Files.isReadable(p)) {
            problems.add(variable + ": '" + v + "' is not a readable " + (directory ? "directory" : "file"));
        }
        return Optional.of(p);
    }

    private void readFile() {
        String path = env.get("AGENTVINE_CONFIG");
        if (path == null || path.isBlank()) {
            return;
        }
        Path p = Path.of(path);
        if (!Files.isReadable(p)) {
            problems.add("AGENTVINE_CONFIG: cannot read '" + path + "'");
            return;
        }
        try {
            Map<String, Object> values = YAML.readValue(p.toFile(), new TypeReference<Map<String, Object>>() { });
            if (values != null) {
                values.forEach((k, v) -> file.put(k.toLowerCase(Locale.ROOT), v instanceof List<?> l
                        ? String.join(",", l.stream().map(String::valueOf).toList()) : String.valueOf(v)));
            }
        } catch (IOException e) {
            problems.add("AGENTVINE_CONFIG: '" + path + "' is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** The value of a setting: environment first, then the file (key without the AGENTVINE_ prefix). */
    private String raw(String variable) {
        String v = env.get(variable);
        if (v == null || v.isBlank()) {
            v = file.get(variable.replaceFirst("^AGENTVINE_", "").toLowerCase(Locale.ROOT));
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    private String text(String variable, String fallback) {
        String v = raw(variable);
        return v == null ? fallback : v;
    }

    private List<TaskType> types() {
        String v = raw("AGENTVINE_WORKER_TYPES");
        if (v == null) {
            problems.add("AGENTVINE_WORKER_TYPES: is required (one or more of feature, bugfix, test, docs, refactor, review, comma-separated)");
            return List.of();
        }
        String custom = text("AGENTVINE_CUSTOM_TASK_TYPES", "");
        LinkedHashSet<String> customNames = new LinkedHashSet<>(List.of(custom.isBlank() ? new String[0] : custom.split("\\s*,\\s*")));
        customNames.addAll(definedTypes());
        TaskTypes accepted;
        try {
            accepted = TaskTypes.withCustom(customNames);
        } catch (InvalidMessageException e) {
            problems.add("AGENTVINE_CUSTOM_TASK_TYPES: " + e.getMessage());
            return List.of();
        }
        LinkedHashSet<TaskType> types = new LinkedHashSet<>();
        for (String t : v.split("\\s*,\\s*")) {
            try {
                types.add(accepted.require(t));
            } catch (InvalidMessageException e) {
                problems.add("AGENTVINE_WORKER_TYPES: " + e.getMessage().replaceFirst("^type: ", ""));
            }
        }
        return List.copyOf(types);
    }

    /** The custom types AGENTVINE_TASK_TYPES_FILE defines are accepted without listing them again. */
    private List<String> definedTypes() {
        String v = raw("AGENTVINE_TASK_TYPES_FILE");
        if (v == null || !Files.isReadable(Path.of(v))) {
            return List.of();
        }
        try {
            com.fasterxml.jackson.databind.JsonNode types = YAML.readTree(Path.of(v).toFile()).path("types");
            List<String> names = new ArrayList<>();
            types.fieldNames().forEachRemaining(names::add);
            return names;
        } catch (IOException | RuntimeException e) {
            return List.of(); // reported with its details when the task profiles are loaded
        }
    }

    private long number(String variable, long fallback, long min, long max) {
        String v = raw(variable);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                problems.add(variable + ": must be between " + min + " and " + max + ", was " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            problems.add(variable + ": '" + v + "' is not a whole number");
            return fallback;
        }
    }

    private boolean bool(String variable, boolean fallback) {
        String v = raw(variable);
        if (v == null) {
            return fallback;
        }
        switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> { return true; }
            case "false", "no", "0", "off" -> { return false; }
            default -> {
                problems.add(variable + ": '" + v + "' is not true or false");
                return fallback;
            }
        }
    }

    private Duration duration(String variable, Duration fallback) {
        String v = raw(variable);
        if (v == null) {
            return fallback;
        }
        Duration d = parseDuration(v);
        if (d == null || d.isZero() || d.isNegative()) {
            problems.add(variable + ": '" + v + "' is not a positive duration (e.g. 90, 90s, 15m, 1h, PT90S)");
            return fallback;
        }
        return d;
    }

    static Duration parseDuration(String v) {
        Matcher m = DURATION.matcher(v.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
        }
        try {
            return Duration.parse(v.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private URI uri(String variable, String fallback, boolean required) {
        String v = raw(variable);
        if (v == null) {
            if (required) {
                problems.add(variable + ": is required (e.g. http://controller:8080)");
            }
            return fallback == null ? null : URI.create(fallback);
        }
        try {
            URI u = URI.create(v);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                problems.add(variable + ": '" + v + "' must be an http(s) URL with a host");
            }
            return u;
        } catch (IllegalArgumentException e) {
            problems.add(variable + ": '" + v + "' is not a valid URL");
            return null;
        }
    }
}
