package io.agentvine.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What a run of {@code vine} talks to: its streams, its environment, whether stdout is a terminal and
 * the clock. {@link #system()} is the real one; tests give their own (captured streams, a chosen
 * environment) and run the commands in-process.
 *
 * @param terminal stdout is a terminal (colour only then, and only without {@code NO_COLOR})
 */
public record Io(PrintWriter out, PrintWriter err, InputStream in, Map<String, String> env, boolean terminal, Clock clock) {

    public static Io system() {
        return new Io(new PrintWriter(System.out, true, StandardCharsets.UTF_8), new PrintWriter(System.err, true, StandardCharsets.UTF_8),
                System.in, System.getenv(), System.console() != null, Clock.systemUTC());
    }

    public String env(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    /** Colour is for people: a terminal, {@code NO_COLOR} unset, not a dumb terminal. */
    public boolean colour() {
        return terminal && env.get("NO_COLOR") == null && !"dumb".equals(env.get("TERM"));
    }

    /** The terminal's width: {@code $COLUMNS}, else 80. */
    public int width() {
        String columns = env("COLUMNS");
        if (columns != null) {
            try {
                return Math.max(20, Integer.parseInt(columns.trim()));
            } catch (NumberFormatException ignored) {
                // not a number: the default
            }
        }
        return 80;
    }

    /** {@code $XDG_CONFIG_HOME/agentvine}, else {@code ~/.config/agentvine}. */
    public Path configDir() {
        String xdg = env("XDG_CONFIG_HOME");
        Path base = xdg != null ? Path.of(xdg) : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
        return base.resolve("agentvine");
    }
}
