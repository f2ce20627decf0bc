package io.agentvine.worker.agent;

import io.agentvine.worker.agent.demo.DemoAgent;
import io.agentvine.worker.agent.output.PriceTable;
import io.agentvine.worker.config.AgentSettings;
import io.agentvine.worker.process.AgentCommand;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the scripted {@link DemoAgent} — no AI model, a canned change per task type — as a real
 * subprocess of the worker's own JVM, so the local fleet and the compose smoke test run end to end
 * with no API key. The runtime says so loudly in its log and in every task result.
 */
public final class DemoAdapter extends CliAdapter {
    private final List<String> javaCommand;

    public DemoAdapter(AgentSettings settings, Map<String, String> passEnv, PriceTable prices) {
        super(settings, passEnv, Set.of(), prices);
        this.javaCommand = JavaCommand.of(DemoAgent.class);
    }

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public AgentCommand command(AgentRun run) {
        Map<String, String> env = environment(run);
        env.put(DemoAgent.STEP_DELAY_MS, Long.toString(settings.demoStepDelay().toMillis()));
        return new AgentCommand(javaCommand, run.workspace(), env, secretNames, run.logFile());
    }

    @Override
    public boolean isDemo() {
        return true;
    }
}
