package io.agentvine.worker.agent;

import io.agentvine.worker.agent.output.PriceTable;
import io.agentvine.worker.config.AgentSettings;
import io.agentvine.worker.process.AgentCommand;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Aider: {@code aider --message-file=<prompt> --yes --model=<model>}, with its own git commits off
 * (the worker commits, with the configured author, on the work branch) and plain output.
 */
public final class AiderAdapter extends CliAdapter {
    public AiderAdapter(AgentSettings settings, Map<String, String> passEnv, Set<String> secretNames, PriceTable prices) {
        super(settings, passEnv, secretNames, prices);
    }

    @Override
    public String name() {
        return "aider";
    }

    @Override
    public AgentCommand command(AgentRun run) {
        List<String> argv = List.of(settings.binary(), Arguments.flag("--message-file", run.promptFile().toString()), "--yes",
                Arguments.flag("--model", run.model()), "--no-auto-commits", "--no-pretty", "--no-stream", "--no-check-update",
                "--no-show-release-notes", "--no-analytics");
        return new AgentCommand(argv, run.workspace(), environment(run), secretNames, run.logFile());
    }
}
