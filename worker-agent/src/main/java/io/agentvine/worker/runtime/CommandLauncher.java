package io.agentvine.worker.runtime;

import io.agentvine.model.WorkOrder;
import io.agentvine.worker.process.AgentCommand;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The generic adapter: runs a fixed argv (AGENTVINE_AGENT_COMMAND) in the workspace and tells the agent
 * everything through its environment — never through its arguments, so no value from a task can become
 * a flag: AGENTVINE_TASK_ID, AGENTVINE_WORK_ORDER_ID, AGENTVINE_TASK_TYPE, AGENTVINE_WORKSPACE,
 * AGENTVINE_PROMPT_FILE (the instructions), AGENTVINE_MODEL, AGENTVINE_ATTEMPT.
 */
public final class CommandLauncher implements AgentLauncher {
    private final List<String> argv;
    private final Map<String, String> extraEnv;
    private final Set<String> secretNames;

    public CommandLauncher(List<String> argv, Map<String, String> extraEnv, Set<String> secretNames) {
        this.argv = List.copyOf(argv);
        this.extraEnv = Map.copyOf(extraEnv);
        this.secretNames = Set.copyOf(secretNames);
    }

    @Override
    public AgentCommand command(WorkOrder order, Path workspace, Path promptFile, Path logFile) {
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("AGENTVINE_TASK_ID", order.taskId());
        env.put("AGENTVINE_WORK_ORDER_ID", order.id());
        env.put("AGENTVINE_TASK_TYPE", order.type().name());
        env.put("AGENTVINE_WORKSPACE", workspace.toString());
        env.put("AGENTVINE_PROMPT_FILE", promptFile.toString());
        env.put("AGENTVINE_MODEL", order.model() == null ? "" : order.model());
        env.put("AGENTVINE_ATTEMPT", Integer.toString(order.attempt()));
        return new AgentCommand(argv, workspace, env, secretNames, logFile);
    }
}
