package io.agentvine.worker.config;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The worker's raw settings: environment variables over the optional YAML file ({@code AGENTVINE_CONFIG},
 * the same names in lower case without the prefix), read as text, numbers, booleans, durations, URLs
 * and paths. A value that does not parse is a problem naming its variable; the problems are collected
 * so that all of them are reported together.
 */
final class Settings {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    private final Map<String, String> env;
    private final Map<String, String> file = new HashMap<>();
    private final List<String> problems = new ArrayList<>();

    Settings(Map<String, String> env) {
        this.env = env;
        readFile();
    }

    void problem(String message) {
        problems.add(message);
    }

    List<String> problems() {
        return problems;
    }

    /** A variable of the environment only (never of the file). */
    String environment(String variable, String fallback) {
        return env.getOrDefault(variable, fallback);
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
    String raw(String variable) {
        String v = env.get(variable);
        if (v == null || v.isBlank()) {
            v = file.get(variable.replaceFirst("^AGENTVINE_", "").toLowerCase(Locale.ROOT));
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    String text(String variable, String fallback) {
        String v = raw(variable);
        return v == null ? fallback : v;
    }

    Optional<Path> file(String variable, boolean directory) {
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

    long number(String variable, long fallback, long min, long max) {
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

    boolean bool(String variable, boolean fallback) {
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

    Duration duration(String variable, Duration fallback) {
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

    URI uri(String variable, String fallback, boolean required) {
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
