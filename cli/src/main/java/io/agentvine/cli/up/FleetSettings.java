package io.agentvine.cli.up;

import io.agentvine.cli.CliException;
import io.agentvine.cli.ExitCodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Everything {@code vine up} needs to know, resolved once: a flag wins over its environment variable
 * (the variables of the former {@code ./fleet} script), which wins over the default. A bad value is
 * refused with a message naming the flag and the variable.
 *
 * @param root the checkout (mvnw, the modules' target folders)
 * @param data the data folder: logs, run state, Redis and H2 data, keys, the sample repository
 * @param env the environment the fleet's processes inherit
 */
public record FleetSettings(Path root, Path data, int port, int redisPort, List<String> types, Duration readyTimeout,
                            Duration smokeTimeout, List<String> controllerJavaOpts, List<String> workerJavaOpts,
                            Map<String, String> env) {
    public static final String DEFAULT_TYPES = "feature,bugfix,test,docs,refactor,review";
    static final String CONTROLLER_OPTS = "-Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k";
    static final String WORKER_OPTS = "-Xmx96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -XX:ReservedCodeCacheSize=32m "
            + "-XX:MaxDirectMemorySize=32m -Dio.netty.allocator.numDirectArenas=1 -Dio.netty.allocator.numHeapArenas=1";
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    /** The values given on the command line; null where a flag was not given. */
    public record Flags(Path data, Integer port, Integer redisPort, String types, Integer readyTimeoutSeconds, Integer smokeTimeoutSeconds) {
    }

    public static FleetSettings resolve(Path root, Flags flags, Map<String, String> env, Path cwd) {
        Path data = flags.data() != null ? cwd.resolve(flags.data())
                : env(env, "FLEET_DATA") != null ? root.resolve(env(env, "FLEET_DATA")) : root.resolve("data");
        int port = number("--port", "AGENTVINE_PORT", flags.port(), env, 8080, 1, 65535);
        int redisPort = number("--redis-port", "FLEET_REDIS_PORT", flags.redisPort(), env, 6380, 1, 65535 - 20);
        String typeList = flags.types() != null ? flags.types() : env.getOrDefault("FLEET_TYPES", DEFAULT_TYPES);
        List<String> types = Arrays.stream(typeList.replace(" ", "").split(",")).filter(t -> !t.isEmpty()).toList();
        if (types.isEmpty()) {
            throw usage("types", "--types (FLEET_TYPES) is empty: name at least one task type, e.g. " + DEFAULT_TYPES);
        }
        for (String t : types) {
            if (!TYPE.matcher(t).matches()) {
                throw usage("types", "--types (FLEET_TYPES): '" + t + "' is not a task type name (lower case letters, digits, - and _)");
            }
        }
        if (types.stream().distinct().count() != types.size()) {
            throw usage("types", "--types (FLEET_TYPES) names a type twice: " + typeList);
        }
        Duration ready = Duration.ofSeconds(number("--ready-timeout", "FLEET_READY_TIMEOUT", flags.readyTimeoutSeconds(), env, 180, 1, 86_400));
        Duration smoke = Duration.ofSeconds(number("--smoke-timeout", "FLEET_SMOKE_TIMEOUT", flags.smokeTimeoutSeconds(), env, 300, 1, 86_400));
        return new FleetSettings(root, data.toAbsolutePath().normalize(), port, redisPort, types, ready, smoke,
                words(env.getOrDefault("FLEET_CONTROLLER_JAVA_OPTS", CONTROLLER_OPTS)),
                words(env.getOrDefault("FLEET_WORKER_JAVA_OPTS", WORKER_OPTS)), Map.copyOf(env));
    }

    public Path logs() {
        return data.resolve("logs");
    }

    public Path run() {
        return data.resolve("run");
    }

    public Path sampleRepository() {
        return data.resolve("sample-repo.git");
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** A variable of the environment, null when unset or blank. */
    public String env(String name) {
        return env(env, name);
    }

    /** The agent the workers run: {@code AGENTVINE_AGENT}, else the scripted demo agent. */
    public String agent() {
        String agent = env("AGENTVINE_AGENT");
        return agent == null ? "demo" : agent;
    }

    /** How long a running task gets when a worker stops: {@code AGENTVINE_SHUTDOWN_GRACE}, else 10 s. */
    public String shutdownGrace() {
        String grace = env("AGENTVINE_SHUTDOWN_GRACE");
        return grace == null ? "10s" : grace;
    }

    private static String env(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static int number(String flag, String variable, Integer given, Map<String, String> env, int fallback, int min, int max) {
        int value;
        if (given != null) {
            value = given;
        } else if (env(env, variable) == null) {
            return fallback;
        } else {
            try {
                value = Integer.parseInt(env(env, variable));
            } catch (NumberFormatException e) {
                throw usage(flag.substring(2), flag + " (" + variable + ") must be a whole number, was '" + env(env, variable) + "'");
            }
        }
        if (value < min || value > max) {
            throw usage(flag.substring(2), flag + " (" + variable + ") must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    private static List<String> words(String options) {
        return Arrays.stream(options.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    private static CliException usage(String field, String message) {
        return new CliException(ExitCodes.USAGE, "bad_option", field, message, 0);
    }
}
