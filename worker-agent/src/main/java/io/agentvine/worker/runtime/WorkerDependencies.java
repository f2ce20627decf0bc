package io.agentvine.worker.runtime;

import io.agentvine.worker.clarify.Approvals;
import io.agentvine.worker.agent.AgentAdapter;
import io.agentvine.worker.config.WorkerConfig;
import io.agentvine.worker.controlplane.ControllerClient;
import io.agentvine.worker.delivery.PullRequests;
import io.agentvine.worker.workspace.WorkspaceManager;
import io.agentvine.queue.redis.RedisEndpoint;
import java.time.Clock;
import java.util.Map;

/**
 * What a worker is made from: its configuration and the outside it talks to.
 *
 * @param pullRequests may be null: no pull requests can be opened
 * @param approvals    how a human_required change gets its approval; null: over the clarification
 *                     channel, from an operator through the controller
 * @param testEnv      variables the test commands get besides PATH, HOME and the like (JAVA_HOME, …)
 */
public record WorkerDependencies(WorkerConfig config, ControllerClient controller, RedisEndpoint redis, WorkspaceManager workspaces,
                                 AgentAdapter adapter, PullRequests pullRequests, Approvals approvals, Map<String, String> testEnv,
                                 Clock clock) {
    public WorkerDependencies {
        testEnv = Map.copyOf(testEnv);
    }
}
