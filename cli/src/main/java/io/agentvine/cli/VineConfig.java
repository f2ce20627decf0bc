package io.agentvine.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code config.yaml}: named contexts (a server and its key, or a command that prints the key) and the
 * one in use.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VineConfig(String currentContext, Map<String, Context> contexts) {

    public VineConfig {
        contexts = contexts == null ? new TreeMap<>() : new TreeMap<>(contexts);
    }

    public static VineConfig empty() {
        return new VineConfig(null, Map.of());
    }

    /** One context; {@code keyCommand} is run with {@code sh -c} and its stdout is the key. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Context(String server, String key, String keyCommand) {
    }

    public VineConfig with(String name, Context context) {
        Map<String, Context> next = new TreeMap<>(contexts);
        next.put(name, context);
        return new VineConfig(currentContext, next);
    }

    public VineConfig using(String name) {
        return new VineConfig(name, contexts);
    }
}
