package io.agentvine.worker.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Starts an agent's OS process: the argv as-is (no shell) in the command's directory, stdin from the
 * command's file or empty, and an environment of only what any program needs ({@link #INHERITED}) plus
 * the command's additions plus the run's {@value AgentProcess#TREE_COOKIE}. The agent never inherits
 * the worker's secrets (its API key, git token, Redis URL); the values of the secret variables it is
 * given are masked in its output.
 */
final class AgentLauncher {
    /** The only variables an agent inherits from the worker's environment. */
    static final Set<String> INHERITED = Set.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG",
            "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "TERM");

    /** A started agent process with what its supervision needs. */
    record Launched(Process process, AgentCommand command, AgentLog log, Secrets secrets, Instant startedAt, String cookie) {
    }

    private AgentLauncher() {
    }

    /**
     * @throws UncheckedIOException when the log cannot be opened or the program cannot be started (the
     *     reason is also in the log file when that could be opened)
     */
    static Launched launch(AgentCommand command, Clock clock) {
        return launch(command, clock, LogSink.NONE);
    }

    /** As {@link #launch(AgentCommand, Clock)}, each line of the log also to {@code sink}. */
    static Launched launch(AgentCommand command, Clock clock, LogSink sink) {
        if (!Files.isDirectory(command.workingDir())) {
            // ProcessBuilder would say "No such file or directory" as if the program were missing.
            throw new UncheckedIOException("cannot start agent " + command.program() + ": working directory "
                    + command.workingDir() + " does not exist", new IOException("not a directory: " + command.workingDir()));
        }
        AgentLog agentLog;
        try {
            agentLog = AgentLog.open(command.logFile(), clock, sink);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the agent log " + command.logFile() + ": " + e, e);
        }
        ProcessBuilder builder = new ProcessBuilder(command.argv()).directory(command.workingDir().toFile());
        if (command.stdinFile() != null) {
            builder.redirectInput(command.stdinFile().toFile());
        }
        builder.environment().keySet().removeIf(name -> !INHERITED.contains(name));
        builder.environment().putAll(command.environment());
        String cookie = UUID.randomUUID().toString();
        builder.environment().put(AgentProcess.TREE_COOKIE, cookie);
        // From the environment the agent really gets, so that inherited secrets are masked as well.
        Secrets secrets = Secrets.of(command.secretNames(), builder.environment());
        Instant startedAt = clock.instant();
        try {
            return new Launched(builder.start(), command, agentLog, secrets, startedAt, cookie);
        } catch (IOException | RuntimeException e) {
            agentLog.write(AgentLog.SYS, "cannot start " + command.describe() + ": " + e.getMessage());
            agentLog.close();
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot start agent " + command.program() + ": " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }
}
