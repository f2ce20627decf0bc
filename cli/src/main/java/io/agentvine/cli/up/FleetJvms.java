package io.agentvine.cli.up;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The command lines and environments of the fleet's JVMs: the controller on H2 in the data folder, and
 * one worker per type with the demo agent unless another is configured. Keys travel in the environment
 * only (a command line shows in {@code ps}); every command line carries the marker
 * {@code -Dagentvine.fleet=<data folder>} by which a later run recognises its leftovers.
 */
public final class FleetJvms {
    private final FleetSettings settings;
    private final Path java;

    public FleetJvms(FleetSettings settings) {
        this.settings = settings;
        this.java = Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** The marker every JVM of this fleet carries on its command line. */
    public String marker() {
        return "-Dagentvine.fleet=" + settings.data();
    }

    public List<String> controllerCommand(Path jar) {
        return command(settings.controllerJavaOpts(), jar);
    }

    public Map<String, String> controllerEnv(String redisUrl, FleetKeys keys) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AGENTVINE_PORT", Integer.toString(settings.port()));
        env.put("REDIS_URL", redisUrl);
        env.put("AGENTVINE_ADMIN_KEYS", join(keys.admin(), settings.env("AGENTVINE_ADMIN_KEYS")));
        env.put("AGENTVINE_WORKER_KEYS", join("local-fleet:" + keys.worker() + ":*", settings.env("AGENTVINE_WORKER_KEYS")));
        env.put("AGENTVINE_ALLOW_FILE_REPOSITORIES", "true");
        String hosts = settings.env("AGENTVINE_ALLOWED_GIT_HOSTS");
        env.put("AGENTVINE_ALLOWED_GIT_HOSTS", hosts == null ? "127.0.0.1/32,::1/128,localhost" : hosts);
        env.put("AGENTVINE_H2_URL", "jdbc:h2:file:" + settings.data().resolve("controller").resolve("agentvine")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE");
        return env;
    }

    public List<String> workerCommand(Path jar, Path archive) {
        List<String> opts = new ArrayList<>(settings.workerJavaOpts());
        if (archive != null) {
            opts.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        }
        return command(opts, jar);
    }

    public Map<String, String> workerEnv(String type, String redisUrl, FleetKeys keys) {
        Path dir = workerDir(type);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AGENTVINE_CONTROLLER_URL", settings.baseUrl());
        env.put("AGENTVINE_API_KEY", keys.worker());
        env.put("REDIS_URL", redisUrl);
        env.put("AGENTVINE_WORKER_TYPES", type);
        env.put("AGENTVINE_WORKER_NAME", workerName(type));
        env.put("AGENTVINE_AGENT", settings.agent());
        env.put("AGENTVINE_WORKSPACE_DIR", dir.resolve("workspaces").toString());
        env.put("AGENTVINE_LOG_DIR", dir.resolve("logs").toString());
        env.put("AGENTVINE_SHUTDOWN_GRACE", settings.shutdownGrace());
        return env;
    }

    public Path workerDir(String type) {
        return settings.data().resolve("workers").resolve(type);
    }

    public static String workerName(String type) {
        return "local-" + type;
    }

    /**
     * A class-data-sharing archive of the worker's classes, made once per jar ({@code --warm-up}): each
     * worker then starts in about a second instead of three. Null when it could not be made (the workers
     * start without it).
     */
    public Path workerArchive(Path jar, Path log) {
        Path archive = settings.data().resolve("worker.jsa");
        try {
            if (Files.size(archive) > 0 && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) >= 0) {
                return archive;
            }
        } catch (IOException missing) {
            // made below
        }
        try {
            Files.deleteIfExists(archive);
            List<String> cmd = new ArrayList<>();
            cmd.add(java.toString());
            cmd.add("-XX:ArchiveClassesAtExit=" + archive);
            cmd.addAll(settings.workerJavaOpts());
            cmd.addAll(List.of("-jar", jar.toString(), "--warm-up"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                p.getOutputStream().close();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly(); // the fleet is stopping
                Thread.currentThread().interrupt();
                return null;
            }
            return Files.isRegularFile(archive) && Files.size(archive) > 0 ? archive : null;
        } catch (IOException e) {
            return null;
        }
    }

    private List<String> command(List<String> opts, Path jar) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(opts);
        cmd.add(marker());
        cmd.addAll(List.of("-jar", jar.toString()));
        return cmd;
    }

    private static String join(String ours, String more) {
        return more == null ? ours : ours + "," + more;
    }
}
