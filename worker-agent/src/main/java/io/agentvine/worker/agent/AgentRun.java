package io.agentvine.worker.agent;

import io.agentvine.model.WorkOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One agent run, as an adapter needs it.
 *
 * @param workspace   the clone the agent works in (its working directory)
 * @param promptFile  the rendered instructions (outside the clone, so they are never committed)
 * @param reviewFile  where a review agent may write its report (outside the clone)
 * @param model       the model chosen for the order (its tier, or the order's own), never null
 */
public record AgentRun(WorkOrder order, Path workspace, Path promptFile, Path logFile, Path reviewFile, String model,
                       String resumeSession) {

    /** A run that starts a new session. */
    public AgentRun(WorkOrder order, Path workspace, Path promptFile, Path logFile, Path reviewFile, String model) {
        this(order, workspace, promptFile, logFile, reviewFile, model, null);
    }

    /**
     * What every adapter tells its agent through the environment — never through arguments, so no
     * value from a task becomes a flag.
     */
    public Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("AGENTVINE_TASK_ID", order.taskId());
        env.put("AGENTVINE_WORK_ORDER_ID", order.id());
        env.put("AGENTVINE_TASK_TYPE", order.type().name());
        env.put("AGENTVINE_TASK_TITLE", order.title());
        env.put("AGENTVINE_WORKSPACE", workspace.toString());
        env.put("AGENTVINE_PROMPT_FILE", promptFile.toString());
        env.put("AGENTVINE_REVIEW_FILE", reviewFile.toString());
        env.put("AGENTVINE_MODEL", model);
        env.put("AGENTVINE_ATTEMPT", Integer.toString(order.attempt()));
        return env;
    }
}
