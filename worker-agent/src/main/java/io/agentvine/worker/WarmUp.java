package io.agentvine.worker;

import io.agentvine.model.Json;
import io.agentvine.model.TaskType;
import io.agentvine.model.WorkOrder;
import io.agentvine.model.WorkerRegistration;
import io.agentvine.worker.agent.AgentAdapters;
import io.agentvine.worker.config.WorkerConfig;
import io.agentvine.worker.config.WorkerConfigLoader;
import io.agentvine.worker.controlplane.ControllerClient;
import io.agentvine.worker.tasks.TaskProfiles;
import io.agentvine.worker.metrics.HostMetrics;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;

/**
 * {@code java -XX:ArchiveClassesAtExit=worker.jsa -jar worker-agent-all.jar --warm-up}: loads the
 * classes a worker needs to start — configuration, adapters, templates, JSON, OSHI, the HTTP client,
 * Lettuce and Netty (connecting to a closed port), JGit — without a controller or Redis, then exits,
 * so the JVM can write a class-data-sharing archive. Workers started with
 * {@code -XX:SharedArchiveFile=worker.jsa} skip most class loading and verification (start to
 * registered: about 3 s → under 1 s here). The archive is built once per jar (image build, first
 * local start); a stale one is ignored by the JVM. It leaves out the clone path on purpose: archiving
 * those classes too made the idle worker 1 MiB bigger (120 → 121 MiB, 2026-11-23), too close to its
 * 128 MB goal.
 */
final class WarmUp {
    private WarmUp() {
    }

    static void run() {
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("agentvine-warm-up");
            WorkerConfig config = WorkerConfigLoader.load(Map.of("AGENTVINE_CONTROLLER_URL", "http://127.0.0.1:1",
                    "AGENTVINE_API_KEY", "warm-up", "AGENTVINE_WORKER_TYPES", "feature", "AGENTVINE_WORKSPACE_DIR",
                    tmp.resolve("ws").toString(), "AGENTVINE_LOG_DIR", tmp.resolve("logs").toString()));
            AgentAdapters.create(config, Map.of());
            TaskProfiles.builtIn();
            new HostMetrics(tmp, Clock.systemUTC()).sample();
            WorkOrder order = WorkOrder.builder("wo-warm-up", TaskType.FEATURE).repositoryUrl("https://example.com/r.git").branch("main")
                    .title("warm up").instructions("warm up").build();
            Json.read(Json.write(order), WorkOrder.class);
            try {
                new ControllerClient(config.controllerUrl(), "warm-up", Duration.ofSeconds(1)).register(new WorkerRegistration(null,
                        "warm-up", List.of(TaskType.FEATURE), "warm-up", 1, List.of(), List.of(), Map.of()));
            } catch (RuntimeException expected) {
                // nothing listens on port 1: the request path is loaded all the same
            }
            RedisURI uri = RedisURI.create("redis://127.0.0.1:1");
            uri.setTimeout(Duration.ofSeconds(1));
            RedisClient redis = RedisClient.create(uri);
            try {
                redis.connect().close();
            } catch (RuntimeException expected) {
                // connection refused, after Netty and Lettuce have loaded
            } finally {
                redis.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            }
            try (Git git = Git.init().setDirectory(tmp.resolve("repo").toFile()).setInitialBranch("main").call()) {
                Files.writeString(tmp.resolve("repo/README.md"), "warm up\n");
                git.add().addFilepattern(".").call();
                git.commit().setMessage("warm up").setSign(false).setAuthor("w", "w@localhost").setCommitter("w", "w@localhost").call();
                git.status().call();
            }
            System.out.println("warm-up done");
        } catch (Exception e) {
            System.err.println("warm-up failed (the archive will cover less): " + e);
        } finally {
            delete(tmp);
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind
        }
    }
}
