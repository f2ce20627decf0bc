package io.agentvine.worker;

import io.agentvine.worker.config.WorkerConfig;
import io.agentvine.worker.config.WorkerConfigException;
import io.agentvine.worker.config.WorkerConfigLoader;
import io.agentvine.worker.controller.ControllerClient;
import io.agentvine.worker.runtime.CommandLauncher;
import io.agentvine.worker.runtime.WorkerRuntime;
import io.agentvine.worker.workspace.GitCredentials;
import io.agentvine.worker.workspace.WorkspaceManager;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's entry point: reads its configuration (exit 2 with every problem listed when it is
 * unusable), registers, runs until SIGTERM/SIGINT, then shuts down in order — stop claiming, give
 * running tasks the grace period, stop agents and release their orders, deregister — and exits 0.
 */
public final class WorkerMain {
    private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

    private WorkerMain() {
    }

    public static void main(String[] args) {
        WorkerConfig config;
        try {
            config = WorkerConfigLoader.fromEnvironment();
        } catch (WorkerConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (!config.agent().equals("command")) {
            System.err.println("AGENTVINE_AGENT=" + config.agent() + ": only the 'command' adapter is available in this version"
                    + " (the demo agent and the Claude Code, Codex and Aider adapters come with the executors)");
            System.exit(2);
        }
        log.info("starting {}", config);
        Map<String, String> env = System.getenv();
        RedisURI uri = RedisURI.create(config.redisUrl());
        uri.setTimeout(Duration.ofSeconds(10));
        RedisClient redis = RedisClient.create(uri);
        Set<String> secrets = Set.of("AGENTVINE_API_KEY", "AGENTVINE_GIT_TOKEN", "AGENTVINE_GITHUB_TOKEN", "ANTHROPIC_API_KEY",
                "OPENAI_API_KEY");
        Map<String, String> agentEnv = new java.util.HashMap<>();
        for (String name : Set.of("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "PATH", "HOME", "LANG")) {
            if (env.containsKey(name)) {
                agentEnv.put(name, env.get(name));
            }
        }
        WorkerRuntime runtime = new WorkerRuntime(config,
                new ControllerClient(config.controllerUrl(), config.apiKey(), ControllerClient.DEFAULT_TIMEOUT), redis,
                new WorkspaceManager(config.workspaceDir(), WorkspaceManager.DEFAULT_DEPTH, config.keepWorkspaces(),
                        new GitCredentials(env)),
                new CommandLauncher(config.agentCommand(), agentEnv, secrets),
                new io.agentvine.worker.delivery.PullRequests(config.githubApiUrl(),
                        env.getOrDefault("AGENTVINE_GITHUB_TOKEN", env.get("AGENTVINE_GIT_TOKEN"))), Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable shutdown = () -> {
            runtime.close(); // idempotent: whichever path comes first does the work
            redis.shutdown();
            stopped.countDown();
        };
        // SIGTERM (docker stop, kubectl delete) and SIGINT: an orderly stop that exits 0, not the JVM's 143.
        for (String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                log.info("SIG{} received: shutting down", signal.getName());
                shutdown.run();
                System.exit(0);
            });
        }
        // Any other exit still stops agents and releases orders.
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "worker-shutdown"));
        runtime.start();
        log.info("worker {} running", runtime.workerId());
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
