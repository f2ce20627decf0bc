package io.agentvine.worker.config;

import io.agentvine.model.ModelTier;
import io.agentvine.model.TaskType;
import io.agentvine.worker.livelog.LiveLogSettings;
import io.agentvine.worker.metrics.MetricsSettings;
import io.agentvine.worker.workspace.RepositoryCacheSettings;
import io.agentvine.worker.workspace.WorkspaceManager;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a worker needs to run, validated ({@link WorkerConfigLoader}). Immutable; the API key
 * never appears in {@link #toString()}.
 *
 * @param repositoryCache   the repository cache: on or off, its directory and size cap ({@link RepositoryCacheSettings})
 * @param gitTimeout        connect and read-idle limit of every network step of a run: clone, fetch, push (all git
 *                          transports) and the pull-request API calls
 * @param heartbeatInterval empty: use the interval the controller gives at registration
 * @param agent             adapter name: claude-code, codex, aider, command or demo
 * @param agentCommand      for the {@code command} adapter: the argv template
 * @param minFreeMemoryMb   no new claim while less memory than this is free
 * @param minFreeDiskMb     no new claim while less disk than this is free in the workspace directory
 * @param shutdownGrace     on SIGTERM, how long running tasks may finish before their agents are stopped
 * @param exitWhenDrained   once drained (told to drain, nothing left running), shut down and exit 0 without waiting for SIGTERM
 * @param agentSettings     the adapter's settings, stall time, templates, custom types, prices
 * @param liveLog           how the agents' output is shipped to the live log (retention, stream length)
 * @param metrics           the worker's own Prometheus endpoint: off, or its address and port
 * @param once              one order, then exit ({@code --once}), or off
 */
public record WorkerConfig(
        URI controllerUrl,
        String apiKey,
        String redisUrl,
        String queueNamespace,
        List<TaskType> workerTypes,
        String name,
        int maxConcurrentTasks,
        Path workspaceDir,
        boolean keepWorkspaces,
        RepositoryCacheSettings repositoryCache,
        Duration gitTimeout,
        Path logDir,
        String agent,
        List<String> agentCommand,
        Map<ModelTier, String> models,
        Duration taskTimeout,
        Optional<Duration> heartbeatInterval,
        long minFreeMemoryMb,
        long minFreeDiskMb,
        Duration shutdownGrace,
        boolean exitWhenDrained,
        String gitAuthorName,
        String gitAuthorEmail,
        URI githubApiUrl,
        AgentSettings agentSettings,
        LiveLogSettings liveLog,
        MetricsSettings metrics,
        RunOnce once) {

    public static final int DEFAULT_MAX_CONCURRENT_TASKS = 1;
    public static final Duration DEFAULT_GIT_TIMEOUT = WorkspaceManager.DEFAULT_TIMEOUT;
    public static final Duration DEFAULT_TASK_TIMEOUT = Duration.ofSeconds(3600);
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(60);
    public static final long DEFAULT_MIN_FREE_MEMORY_MB = 256;
    public static final long DEFAULT_MIN_FREE_DISK_MB = 1024;
    public static final List<String> AGENTS = List.of("claude-code", "codex", "aider", "command", "demo");

    public WorkerConfig {
        workerTypes = List.copyOf(workerTypes);
        agentCommand = List.copyOf(agentCommand);
        models = Map.copyOf(models);
    }

    public String modelFor(ModelTier tier) {
        return models.get(tier);
    }

    @Override
    public String toString() {
        return "WorkerConfig[name=" + name + ", types=" + workerTypes + ", controller=" + controllerUrl
                + ", redis=" + redact(redisUrl) + ", apiKey=" + (apiKey == null || apiKey.isEmpty() ? "none" : "***")
                + ", maxConcurrentTasks=" + maxConcurrentTasks + ", agent=" + agent + ", workspace=" + workspaceDir
                + ", keepWorkspaces=" + keepWorkspaces + ", taskTimeout=" + taskTimeout + ", " + metrics
                + (once.enabled() ? ", once (idle exit " + once.idleExit() + ")" : "") + "]";
    }

    /** A Redis URL without its password ({@code user:password@}, or a Sentinel URL's bare {@code password@}). */
    static String redact(String url) {
        return url == null ? null : url.replaceAll("//([^:@/]*):[^@/]*@", "//$1:***@").replaceAll("//[^:@/]+@", "//***@");
    }
}
