package io.agentvine.worker.agent;

import io.agentvine.model.Budget;
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
 * is never an argument: one starting with a dash would be read as a flag). Claude Code's own budget
 * stop overshoots by a call; the worker watches the cost itself as well.
 */
public final class ClaudeCodeAdapter extends CliAdapter {
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
        argv.add(Arguments.flag("--allowedTools", String.join(",", settings.allowedTools())));
        return new AgentCommand(argv, run.workspace(), environment(run), secretNames, run.logFile(), run.promptFile());
    }

    @Override
    public boolean reportsOutcome() {
        return true;
    }
}
