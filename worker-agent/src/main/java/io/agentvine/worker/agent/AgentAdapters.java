package io.agentvine.worker.agent;

import io.agentvine.worker.agent.output.PriceTable;
import io.agentvine.worker.config.AgentSettings;
import io.agentvine.worker.config.WorkerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds the configured adapter, with the variables each agent may see and which of them are secret. */
public final class AgentAdapters {
    /** Model API keys and endpoints an agent needs; passed on only when set, always treated as secrets where they are keys. */
    public static final List<String> AGENT_VARIABLES = List.of("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL",
            "CLAUDE_CODE_OAUTH_TOKEN", "CLAUDE_CONFIG_DIR", "OPENAI_API_KEY", "OPENAI_BASE_URL", "CODEX_HOME", "JAVA_HOME");
    public static final Set<String> SECRET_VARIABLES = Set.of("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "CLAUDE_CODE_OAUTH_TOKEN",
            "OPENAI_API_KEY", "AGENTVINE_API_KEY", "AGENTVINE_GIT_TOKEN", "AGENTVINE_GITHUB_TOKEN");

    private AgentAdapters() {
    }

    /**
     * @param env the worker's environment: only {@link #AGENT_VARIABLES} are passed on to the agent
     * @throws IllegalArgumentException when the configuration cannot make a command (unknown placeholder, …)
     */
    public static AgentAdapter create(WorkerConfig config, Map<String, String> env) {
        AgentSettings s = config.agentSettings();
        PriceTable prices = s.pricesFile().map(AgentAdapters::prices).orElseGet(PriceTable::defaults);
        Map<String, String> pass = new HashMap<>();
        for (String name : AGENT_VARIABLES) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) {
                pass.put(name, v);
            }
        }
        return switch (config.agent()) {
            case "claude-code" -> new ClaudeCodeAdapter(s, pass, SECRET_VARIABLES, prices);
            case "codex" -> new CodexAdapter(s, pass, SECRET_VARIABLES, prices);
            case "aider" -> new AiderAdapter(s, pass, SECRET_VARIABLES, prices);
            case "command" -> new CommandAdapter(config.agentCommand(), s, pass, SECRET_VARIABLES, prices);
            case "demo" -> new DemoAdapter(s, Map.of(), prices);
            default -> throw new IllegalArgumentException("AGENTVINE_AGENT: unknown adapter '" + config.agent() + "'");
        };
    }

    /** The built-in prices with the file's entries over them. */
    private static PriceTable prices(Path file) {
        try {
            return PriceTable.defaults().withOverrides(PriceTable.fromYaml(file).prices());
        } catch (IOException e) {
            throw new IllegalArgumentException("AGENTVINE_PRICES_FILE: cannot read " + file + ": " + e.getMessage());
        }
    }

    /** What test commands get besides PATH, HOME and the like: toolchain locations, never keys. */
    public static Map<String, String> testEnvironment(Map<String, String> env) {
        Map<String, String> out = new HashMap<>();
        for (String name : List.of("JAVA_HOME", "MAVEN_OPTS", "GOPATH", "GOCACHE", "CARGO_HOME", "RUSTUP_HOME", "NODE_OPTIONS")) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) {
                out.put(name, v);
            }
        }
        return out;
    }
}
