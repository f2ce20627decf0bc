package io.agentvine.worker;

import io.agentvine.logging.LogFormat;
import io.agentvine.worker.agent.AgentAdapter;
import io.agentvine.worker.agent.AgentAdapters;
import io.agentvine.worker.config.RunOnce;
import io.agentvine.worker.config.WorkerConfig;
import io.agentvine.worker.config.WorkerConfigException;
import io.agentvine.worker.config.WorkerConfigLoader;
import io.agentvine.worker.controlplane.ControllerClient;
import io.agentvine.worker.delivery.PullRequests;
import io.agentvine.worker.kubernetes.PodDeletionCost;
import io.agentvine.worker.runtime.WorkerAssembly;
import io.agentvine.worker.runtime.WorkerDependencies;
import io.agentvine.worker.runtime.WorkerRuntime;
import io.agentvine.worker.workspace.GitCredentials;
import io.agentvine.worker.workspace.WorkspaceManager;
import io.agentvine.queue.redis.RedisEndpoint;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The worker's entry point: reads its configuration (exit 2 with every problem listed when it is
 * unusable), registers, runs until SIGTERM/SIGINT, then shuts down in order — stop claiming, give
 * running tasks the grace period, stop agents and release their orders, deregister — and exits 0.
 * With {@code AGENTVINE_EXIT_WHEN_DRAINED=true} a drained worker does the same by itself (a scale-down
 * that drains first, then lets the worker go).
 */
public final class WorkerMain {
    private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

    private WorkerMain() {
    }

    /** The environment with the command line's settings over it: {@code --once} is {@code AGENTVINE_ONCE=true}. */
    static Map<String, String> withArguments(Map<String, String> env, String[] args) {
        Map<String, String> settings = new java.util.HashMap<>(env);
        for (String arg : args) {
            if (!arg.equals(RunOnce.ARGUMENT)) {
                throw new WorkerConfigException(java.util.List.of("unknown argument '" + arg + "' (the worker takes " + RunOnce.ARGUMENT
                        + "; everything else is set by environment variables)"));
            }
            settings.put(RunOnce.VARIABLE, "true");
        }
        return settings;
    }

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("--warm-up")) {
            WarmUp.run(); // for a class-data-sharing archive: see WarmUp
            return;
        }
        LogFormat.problem(System.getenv(LogFormat.VARIABLE)).ifPresent(problem -> {
            System.err.println(problem);
            System.exit(2);
        });
        WorkerConfig config;
        try {
            config = WorkerConfigLoader.load(withArguments(System.getenv(), args));
        } catch (WorkerConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Map<String, String> env = System.getenv();
        RedisEndpoint redis = RedisEndpoint.create(config.redisUrl()); // redis://, redis-sentinel:// or redis-cluster://
        WorkspaceManager workspaces = new WorkspaceManager(config.workspaceDir(), WorkspaceManager.DEFAULT_DEPTH,
                config.keepWorkspaces(), new GitCredentials(env), config.gitTimeout(), config.repositoryCache(), Clock.systemUTC());
        AgentAdapter adapter;
        WorkerRuntime runtime;
        PodDeletionCost podCost;
        try {
            adapter = AgentAdapters.create(config, env);
            // The runtime loads the templates and custom task types: an unusable file is reported here.
            runtime = WorkerAssembly.build(new WorkerDependencies(config,
                    new ControllerClient(config.controllerUrl(), config.apiKey(), ControllerClient.DEFAULT_TIMEOUT), redis,
                    workspaces,
                    adapter,
                    new PullRequests(config.githubApiUrl(), env.getOrDefault("AGENTVINE_GITHUB_TOKEN", env.get("AGENTVINE_GIT_TOKEN")),
                            config.gitTimeout()),
                    null, AgentAdapters.testEnvironment(env), Clock.systemUTC()));
            podCost = PodDeletionCost.fromEnvironment(env, PodDeletionCost.TOKEN, runtime::runningCount); // a no-op outside a pod
        } catch (IllegalArgumentException | UncheckedIOException e) { // UncheckedIOException: the metrics port cannot be bound
            System.err.println("invalid worker configuration:\n  - " + e.getMessage());
            redis.close();
            System.exit(2);
            return;
        }
        log.info("starting {} ({})", config, config.repositoryCache());
        if (adapter.isDemo()) {
            log.warn("*** DEMO AGENT in use: tasks get a scripted change, no AI model runs. Set AGENTVINE_AGENT to claude-code, "
                    + "codex, aider or command for real work. ***");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean shutDown = new AtomicBoolean();
        Runnable shutdown = () -> {
            if (shutDown.compareAndSet(false, true)) { // whichever path comes first does the work
                runtime.close();
                podCost.close();
                workspaces.close(); // after the runs: their workspaces are given back by then
                redis.close();
            }
            stopped.countDown();
        };
        // SIGTERM (docker stop, kubectl delete) and SIGINT: an orderly stop that exits 0, not the JVM's 143.
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                log.info("SIG{} received: shutting down", signal.getName());
                shutdown.run();
                System.exit(0);
            });
        }
        // Any other exit still stops agents and releases orders.
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "worker-shutdown"));
        runtime.start();
        podCost.start();
        workspaces.probeFileSystem();
        log.info("worker {} running", runtime.workerId());
        if (config.exitWhenDrained() || config.once().enabled()) {
            runtime.drained().thenRun(() -> {
                log.info("drained and {} is set: shutting down", config.once().enabled() ? "--once" : "AGENTVINE_EXIT_WHEN_DRAINED");
                stopped.countDown();
            });
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Drained (or interrupted): the same orderly stop as SIGTERM, on this thread, then exit 0.
        shutdown.run();
        System.exit(0);
    }
}
