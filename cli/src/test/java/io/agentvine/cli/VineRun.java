package io.agentvine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentvine.model.Json;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** Runs {@code vine} in-process with captured stdout and stderr and a chosen environment. */
public final class VineRun {
    private final Map<String, String> env = new HashMap<>();
    private String stdin = "";

    public VineRun(Path configHome) {
        env.put("XDG_CONFIG_HOME", configHome.toString());
        env.put("HOME", configHome.toString());
    }

    /** Against a controller with a key (through the environment, as a script would). */
    public static VineRun against(TestController controller, String key, Path configHome) {
        return new VineRun(configHome).env("VINE_SERVER", controller.url()).env("VINE_KEY", key);
    }

    public VineRun env(String name, String value) {
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        return this;
    }

    public VineRun stdin(String text) {
        this.stdin = text;
        return this;
    }

    /** An Io with throwaway streams and only the config home set. */
    public static Io io(Path configHome) {
        return new Io(new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true),
                new ByteArrayInputStream(new byte[0]), Map.of("XDG_CONFIG_HOME", configHome.toString()), false, Clock.systemUTC());
    }

    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Io io = new Io(new PrintWriter(out, true), new PrintWriter(err, true),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), Map.copyOf(env), false, Clock.systemUTC());
        int code = Vine.run(io, args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Creates a docs task with {@code vine task create} and returns its id (the run must succeed). */
    public String createDocsTask(String repo, String title) {
        Result r = run("task", "create", "--type", "docs", "--repo", repo, "--title", title);
        if (r.code() != 0) {
            throw new AssertionError("vine task create failed: " + r);
        }
        return r.out().strip();
    }

    /** What a run left: its exit code, stdout and stderr. */
    public record Result(int code, String out, String err) {
        public JsonNode json() {
            return Json.readTree(out);
        }

        public JsonNode errorJson() {
            return Json.readTree(err);
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
