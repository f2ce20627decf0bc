package io.agentvine.cli.up;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts one process of the fleet: in its own session where {@code setsid} exists (so the terminal's
 * Ctrl-C reaches only {@code vine up}, which then stops the fleet in order; without it — stock macOS —
 * the children see the Ctrl-C too), with the given environment, its output appended to its log after a
 * line that marks where this run starts, and no stdin.
 */
public final class ProcessLauncher {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Optional<Path> setsid;
    private final Map<String, String> env;
    private final Clock clock;

    public ProcessLauncher(Map<String, String> env, Clock clock) {
        this.env = env;
        this.clock = clock;
        this.setsid = RedisBinary.onPath("setsid", env);
    }

    /** Starts {@code command} in {@code dir} with the base environment plus {@code extraEnv}, output appended to {@code log}. */
    public Process start(List<String> command, Path dir, Map<String, String> extraEnv, Path log) {
        List<String> full = new ArrayList<>();
        setsid.ifPresent(s -> full.add(s.toString()));
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "2"); // glibc's per-thread arenas are most of an idle JVM's native memory
        pb.environment().putAll(extraEnv);
        try {
            Files.createDirectories(dir);
            Files.writeString(log, "\n===== " + LocalDateTime.now(clock).format(STAMP) + ": started by vine up (pid "
                    + ProcessHandle.current().pid() + ") =====\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Process p = pb.start();
            p.getOutputStream().close();
            return p;
        } catch (IOException e) {
            throw new FleetStartException("cannot start " + command.get(0) + ": " + e.getMessage(), log);
        }
    }
}
