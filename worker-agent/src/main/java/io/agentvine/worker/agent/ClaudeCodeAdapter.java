package io.agentvine.worker.agent;

import io.agentvine.worker.agent.session.ClaudeSessionFiles;
import io.agentvine.worker.agent.session.SessionFiles;
import java.util.Optional;

import io.agentvine.model.Budget;
import io.agentvine.model.Json;
import io.agentvine.worker.clarify.McpAskServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.agentvine.worker.agent.output.PriceTable;
import io.agentvine.worker.config.AgentSettings;
import io.agentvine.worker.process.AgentCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Claude Code headless: {@code claude -p --output-format=stream-json --verbose} with turns, budget,
 * model, permission mode and allowed tools as flags, and the instructions on standard input (a prompt
 * is never an argument: one starting with a dash would be read as a flag). The model's questions go to
 * the operator through the {@code ask_human} MCP tool ({@link McpAskServer}); Claude Code's own
 * question tool, denied in print mode, is disallowed. Claude Code's own budget
 * stop overshoots by a call; the worker watches the cost itself as well.
 */
public final class ClaudeCodeAdapter extends CliAdapter {
    /** Claude Code's name for the {@code ask_human} tool of the MCP server {@code agentvine}. */
    public static final String ASK_TOOL = "mcp__agentvine__" + McpAskServer.TOOL;
    static final String ASK_HINT = "You run headless for AgentVine. When a requirement is ambiguous or a decision needs a human, "
            + "call the ask_human tool (it waits for the operator's answer) instead of guessing.";

    public ClaudeCodeAdapter(AgentSettings settings, Map<String, String> passEnv, Set<String> secretNames, PriceTable prices) {
        super(settings, passEnv, secretNames, prices);
    }

    @Override
    public String name() {
        return "claude-code";
    }

    @Override
    public AgentCommand command(AgentRun run) {
        Budget budget = run.order().budget();
        List<String> argv = new ArrayList<>(List.of(settings.binary(), "-p", "--output-format=stream-json", "--verbose"));
        argv.add(Arguments.flag("--max-turns", Integer.toString(budget.maxTurns() != null ? budget.maxTurns() : settings.defaultMaxTurns())));
        if (budget.maxCostUsd() != null) {
            argv.add(Arguments.flag("--max-budget-usd", String.format(Locale.ROOT, "%.4f", budget.maxCostUsd())));
        }
        argv.add(Arguments.flag("--model", run.model()));
        argv.add(Arguments.flag("--permission-mode", settings.permissionMode()));
        List<String> tools = new ArrayList<>(settings.allowedTools());
        tools.add(ASK_TOOL);
        argv.add(Arguments.flag("--allowedTools", String.join(",", tools)));
        // In print mode Claude Code's own question tool is denied: the model asks through ours instead.
        argv.add(Arguments.flag("--disallowedTools", "AskUserQuestion"));
        argv.add(Arguments.flag("--mcp-config", mcpConfig(run).toString()));
        argv.add(Arguments.flag("--append-system-prompt", ASK_HINT));
        if (run.resumeSession() != null) {
            // the session's files were put into this workspace's project folder; the prompt is its next message
            argv.add(Arguments.flag("--resume", run.resumeSession()));
        }
        return new AgentCommand(argv, run.workspace(), environment(run), secretNames, run.logFile(), run.promptFile());
    }

    /**
     * The MCP configuration of the run: one stdio server, {@link McpAskServer}, which reaches the
     * worker through the ask URL and token the agent's environment carries (nothing secret in the file).
     */
    static Path mcpConfig(AgentRun run) {
        Path file = run.logFile().resolveSibling(run.logFile().getFileName().toString().replaceFirst("\\.log$", "") + ".mcp.json");
        List<String> argv = JavaCommand.of(McpAskServer.class);
        Map<String, Object> server = Map.of("type", "stdio", "command", argv.get(0), "args", argv.subList(1, argv.size()));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, Json.write(Map.of("mcpServers", Map.of("agentvine", server))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the MCP configuration " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    @Override
    public boolean reportsOutcome() {
        return true;
    }

    @Override
    public Optional<SessionFiles> sessionFiles() {
        return Optional.of(ClaudeSessionFiles.of(passed("CLAUDE_CONFIG_DIR")));
    }
}
