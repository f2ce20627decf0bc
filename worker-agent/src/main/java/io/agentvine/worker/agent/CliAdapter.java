package io.agentvine.worker.agent;

import io.agentvine.worker.agent.output.OutputParser;
import io.agentvine.worker.agent.output.OutputParsers;
import io.agentvine.worker.agent.output.PriceTable;
import io.agentvine.worker.config.AgentSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** What the CLI adapters share: settings, the variables they pass on (API keys), prices. */
abstract class CliAdapter implements AgentAdapter {
    protected final AgentSettings settings;
    protected final Set<String> secretNames;
    private final Map<String, String> passEnv;
    private final PriceTable prices;

    CliAdapter(AgentSettings settings, Map<String, String> passEnv, Set<String> secretNames, PriceTable prices) {
        this.settings = settings;
        this.passEnv = Map.copyOf(passEnv);
        this.secretNames = Set.copyOf(secretNames);
        this.prices = prices;
    }

    /** The passed-on variables plus the run's own AGENTVINE_* ones. */
    protected Map<String, String> environment(AgentRun run) {
        Map<String, String> env = new HashMap<>(passEnv);
        env.putAll(run.environment());
        return env;
    }

    /** A variable the agent is given ({@link AgentAdapters#AGENT_VARIABLES}), or null. */
    protected String passed(String name) {
        return passEnv.get(name);
    }

    @Override
    public OutputParser parser(AgentRun run) {
        return OutputParsers.forAdapter(name(), run.model(), prices);
    }
}
