package io.agentvine.worker.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a coding agent as an OS process, supervised.
 *
 * <p><b>Start.</b> The argv runs as-is (no shell) in the command's directory, with the worker's
 * environment plus the command's additions plus {@value #TREE_COOKIE}, a random value by which the
 * run's processes are recognised even once re-parented (see {@link ProcessTree}), and an empty stdin (or the command's stdin file):
 * an agent must never wait for a human. The process is registered with the {@link ProcessReaper}, so a
 * JVM shutdown stops it too.
 *
 * <p><b>Output.</b> stdout and stderr are read separately, line by line, each on its own daemon thread
 * ({@code agent-stdout-<pid>}, {@code agent-stderr-<pid>}). Every line is appended to the log file as
 * {@code <ISO instant> out|err <line>}, flushed at once, then handed to the {@link LineListener}; values
 * of secret variables are masked in both. {@link #waitFor} returns only once the output is read to its
 * end, so the last lines are in the log and were delivered.
 *
 * <p><b>Stop.</b> {@link #terminate} sends SIGTERM to the whole process tree, waits up to the grace
 * ({@link #DEFAULT_GRACE} unless given) and sends SIGKILL to whatever still runs; see
 * {@link ProcessTree} for how descendants are found, also once re-parented. A timeout in
 * {@link #waitFor} does the same.
 *
 * <p><b>Leftovers.</b> When the agent exits by itself, what it left running (a dev server, a stray
 * {@code sleep}) is stopped the same way: it would outlive the run's workspace, it would keep our end of
 * the pipes open so that the output never ends, and, re-parented, it would be nobody's to stop.
 *
 * <p>All methods may be called from any thread; {@link #terminate} and {@link #close} are idempotent.
 */
public final class AgentProcess implements AutoCloseable {
    /** The only variables an agent inherits from the worker's environment. */
    static final java.util.Set<String> INHERITED = java.util.Set.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG",
            "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "TERM");

    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
    /** The variable, with a random value per run, that marks every process of the run's tree. */
    public static final String TREE_COOKIE = "AGENTVINE_TREE_COOKIE";
    /** How long SIGKILLed processes get to disappear. */
    static final Duration KILL_WAIT = Duration.ofSeconds(5);
    /** How long the output may still flow once the agent and its tree are down. */
    static final Duration DRAIN_WAIT = Duration.ofSeconds(5);
    /**
     * How often the descendants are scanned to be remembered (each scan reads all of /proc). Where the
     * cookie works this is only a second net, hence not often.
     */
    static final Duration TREE_SCAN_INTERVAL = Duration.ofMillis(500);
    /** Longer lines are split; a piece is delivered and logged as a line of its own. */
    static final int MAX_LINE_CHARS = 1 << 20;

    private static final Logger log = LoggerFactory.getLogger(AgentProcess.class);

    /**
     * How a run ended. {@code kind} is {@code EXITED} when the agent ended by itself, {@code TIMED_OUT}
     * when {@link #waitFor} stopped it, {@code TERMINATED} when {@link #terminate} (or close, or an
     * interrupt of the waiting thread) did. {@code exitCode} is the process's status (128 + signal
     * number when a signal ended it, e.g. 143 for SIGTERM), null only when it could not be stopped.
     * {@code duration} runs from start to exit, on the injected clock.
     */
    public record Outcome(Kind kind, Integer exitCode, Duration duration) {
        public enum Kind { EXITED, TIMED_OUT, TERMINATED }

        public Outcome {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(duration, "duration");
        }

        /** Ended by itself with status 0. */
        public boolean succeeded() {
            return kind == Kind.EXITED && exitCode != null && exitCode == 0;
        }
    }

    private record Stop(Outcome.Kind kind, String reason) { }

    private final Process process;
    private final AgentCommand command;
    private final LineListener listener;
    private final Clock clock;
    private final Duration grace;
    private final ProcessReaper reaper;
    private final AgentLog agentLog;
    private final Secrets secrets;
    private final ProcessTree tree;
    private final Instant startedAt;
    private final Thread stdoutReader;
    private final Thread stderrReader;
    private final Thread watcher;
    /** Completed by the watcher with the exit instant once the agent exited and what it left is stopped. */
    private final CompletableFuture<Instant> ended = new CompletableFuture<>();
    private final AtomicReference<Stop> stop = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private Outcome outcome; // guarded by this

    private AgentProcess(Process process, AgentCommand command, LineListener listener, Clock clock, Duration grace,
                         ProcessReaper reaper, AgentLog agentLog, Secrets secrets, Instant startedAt, String cookie) {
        this.process = process;
        this.command = command;
        this.listener = listener;
        this.clock = clock;
        this.grace = grace;
        this.reaper = reaper;
        this.agentLog = agentLog;
        this.secrets = secrets;
        this.startedAt = startedAt;
        this.tree = new ProcessTree(process.toHandle(), TREE_COOKIE + "=" + cookie, KILL_WAIT);
        long pid = process.pid();
        this.stdoutReader = daemon("agent-stdout-" + pid, () -> pump(process.getInputStream(), LineListener.Stream.STDOUT));
        this.stderrReader = daemon("agent-stderr-" + pid, () -> pump(process.getErrorStream(), LineListener.Stream.STDERR));
        this.watcher = daemon("agent-watch-" + pid, this::watch);
    }

    /** Starts {@code command} with the {@link #DEFAULT_GRACE}. */
    public static AgentProcess start(AgentCommand command, LineListener listener, Clock clock) {
        return start(command, listener, clock, DEFAULT_GRACE);
    }

    /**
     * Starts {@code command}; {@code grace} is how long its processes get between SIGTERM and SIGKILL.
     *
     * @throws UncheckedIOException when the log cannot be opened or the program cannot be started (the
     *     reason is also in the log file when that could be opened)
     * @throws IllegalStateException when the JVM is shutting down (the agent is stopped again at once)
     */
    public static AgentProcess start(AgentCommand command, LineListener listener, Clock clock, Duration grace) {
        return start(command, listener, clock, grace, ProcessReaper.instance());
    }

    static AgentProcess start(AgentCommand command, LineListener listener, Clock clock, Duration grace,
                              ProcessReaper reaper) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(reaper, "reaper");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative: " + grace);
        }
        if (!Files.isDirectory(command.workingDir())) {
            // ProcessBuilder would say "No such file or directory" as if the program were missing.
            throw new UncheckedIOException("cannot start agent " + command.program() + ": working directory "
                    + command.workingDir() + " does not exist", new IOException("not a directory: " + command.workingDir()));
        }
        AgentLog agentLog;
        try {
            agentLog = AgentLog.open(command.logFile(), clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the agent log " + command.logFile() + ": " + e, e);
        }
        ProcessBuilder builder = new ProcessBuilder(command.argv()).directory(command.workingDir().toFile());
        if (command.stdinFile() != null) {
            builder.redirectInput(command.stdinFile().toFile());
        }
        // The agent does not inherit the worker's environment (its API key, git token, Redis URL):
        // only what any program needs, plus what the launcher passes on purpose.
        builder.environment().keySet().removeIf(name -> !INHERITED.contains(name));
        builder.environment().putAll(command.environment());
        String cookie = UUID.randomUUID().toString();
        builder.environment().put(TREE_COOKIE, cookie);
        // From the environment the agent really gets, so that inherited secrets are masked as well.
        Secrets secrets = Secrets.of(command.secretNames(), builder.environment());
        Instant startedAt = clock.instant();
        Process process;
        try {
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            agentLog.write(AgentLog.SYS, "cannot start " + command.describe() + ": " + e.getMessage());
            agentLog.close();
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot start agent " + command.program() + ": " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
        AgentProcess agent = new AgentProcess(process, command, listener, clock, grace, reaper, agentLog, secrets, startedAt,
                cookie);
        agent.begin();
        return agent;
    }

    private void begin() {
        try {
            try {
                process.getOutputStream().close(); // stdin: empty
            } catch (IOException e) {
                log.debug("closing stdin of agent pid {}: {}", pid(), e.toString());
            }
            String description = command.describe();
            agentLog.write(AgentLog.SYS, "started pid " + pid() + ": " + description);
            log.info("agent pid {} started: {}", pid(), description);
            if (!reaper.register(this)) {
                throw new IllegalStateException("the worker JVM is shutting down: agent " + command.program() + " not run");
            }
            stdoutReader.start();
            stderrReader.start();
            watcher.start();
        } catch (RuntimeException | Error e) {
            // Never leave an agent running that nobody supervises.
            agentLog.write(AgentLog.SYS, "not supervised, stopping: " + e);
            tree.stop("could not supervise it: " + e, Duration.ZERO);
            reaper.unregister(this);
            agentLog.close();
            throw e;
        }
    }

    public long pid() {
        return process.pid();
    }

    /** Whether the agent process itself still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The agent's exit status; empty while it runs. */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** Why the agent was stopped, if it was stopped (by {@link #terminate}, a timeout, close or an interrupt). */
    public Optional<String> terminationReason() {
        return Optional.ofNullable(stop.get()).map(Stop::reason);
    }

    Duration grace() {
        return grace;
    }

    /** Whether the watcher has seen {@code pid} among the agent's descendants (for tests). */
    boolean remembersDescendant(long pid) {
        return tree.remembers(pid);
    }

    /** The pids of the agent's tree that run now, the agent's own included (for tests: nothing leaked). */
    List<Long> runningTree() {
        return tree.members().stream().map(ProcessHandle::pid).toList();
    }

    /**
     * Waits for the agent to end, at most {@code timeout}; past it, its tree is stopped (outcome
     * {@code TIMED_OUT}). Returns once what the agent left running is stopped too and the output is read
     * to its end (each bounded). Calling it again returns the same outcome.
     *
     * <p>An interrupt stops the agent (its caller gives up on it: nobody would supervise it any more);
     * the interrupt flag stays set.
     */
    public Outcome waitFor(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        try {
            if (!process.waitFor(Bounded.saturatedMillis(timeout), TimeUnit.MILLISECONDS)) {
                stop(Outcome.Kind.TIMED_OUT, "timed out after " + timeout);
            }
        } catch (InterruptedException e) {
            stop(Outcome.Kind.TERMINATED, "interrupted while waiting for it");
            Thread.currentThread().interrupt();
        }
        return finish();
    }

    /**
     * Stops the agent's whole process tree: SIGTERM, then SIGKILL to what still runs after the grace.
     * Returns when nothing of the tree runs any more (bounded by grace + {@link #KILL_WAIT}). Idempotent:
     * a later or concurrent call waits for the first one's work and returns; the first reason is kept.
     * Stopping an agent that already exited stops only what it left running, and its outcome stays
     * {@code EXITED}.
     */
    public void terminate(String reason) {
        Objects.requireNonNull(reason, "reason");
        stop(Outcome.Kind.TERMINATED, reason);
    }

    private void stop(Outcome.Kind kind, String reason) {
        if (process.isAlive() && stop.compareAndSet(null, new Stop(kind, reason))) {
            agentLog.write(AgentLog.SYS, "stopping: " + reason);
        }
        if (tree.stop(reason, grace) && !process.isAlive()) {
            reaper.unregister(this);
        }
    }

    /**
     * Stops the tree if the agent still runs, waits (bounded) for its output to end and closes the log.
     * Idempotent; fine on an agent that already ended.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (process.isAlive()) {
                stop(Outcome.Kind.TERMINATED, "closed while running");
            }
            finish();
        } finally {
            if (!process.isAlive()) {
                reaper.unregister(this); // one that could not be stopped stays for the shutdown hook's try
            }
            agentLog.close();
        }
    }

    private Outcome finish() {
        if (!Bounded.await(ended, Bounded.deadline(grace.plus(KILL_WAIT).plus(TREE_SCAN_INTERVAL)))) {
            log.warn("agent pid {}: its process tree is not down yet", pid());
        }
        long drainDeadline = Bounded.deadline(DRAIN_WAIT);
        boolean drained = Bounded.join(stdoutReader, drainDeadline) & Bounded.join(stderrReader, drainDeadline);
        if (!drained && !process.isAlive()) {
            log.warn("agent pid {}: its output is still open {} after it ended (a process outside its tree holds it);"
                    + " the rest is not captured", pid(), DRAIN_WAIT);
        }
        return settle();
    }

    private synchronized Outcome settle() {
        if (outcome == null) {
            Stop s = stop.get();
            Integer code = process.isAlive() ? null : process.exitValue();
            Instant end = ended.isDone() ? ended.join() : clock.instant();
            outcome = new Outcome(s == null ? Outcome.Kind.EXITED : s.kind(), code, Duration.between(startedAt, end));
            String what = outcome.kind().name().toLowerCase() + " with " + code + " after " + outcome.duration();
            agentLog.write(AgentLog.SYS, what);
            log.info("agent pid {} {}", pid(), what);
        }
        return outcome;
    }

    /** Reads one stream to its end; a failing listener costs a log line, never the reading. */
    private void pump(InputStream in, LineListener.Stream stream) {
        String tag = stream == LineListener.Stream.STDOUT ? AgentLog.OUT : AgentLog.ERR;
        long listenerFailures = 0;
        try (LineReader lines = new LineReader(new InputStreamReader(in, StandardCharsets.UTF_8), MAX_LINE_CHARS)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String shown = secrets.redact(line);
                agentLog.write(tag, shown);
                try {
                    listener.onLine(stream, shown);
                } catch (Throwable t) {
                    // Caught whatever it is: a reader that dies leaves the pipe full and the agent blocked.
                    if (listenerFailures++ == 0) {
                        log.warn("agent pid {}: line listener failed on {} (later failures are only counted)", pid(), tag, t);
                    }
                }
            }
        } catch (IOException e) {
            log.debug("agent pid {}: {} closed: {}", pid(), tag, e.toString());
        } finally {
            if (listenerFailures > 1) {
                log.warn("agent pid {}: line listener failed on {} lines of {}", pid(), listenerFailures, tag);
            }
        }
    }

    /** Remembers the tree while the agent runs; when it exits, stops what it left and unregisters it. */
    private void watch() {
        Instant exitedAt = null;
        try {
            while (!process.waitFor(TREE_SCAN_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
                try {
                    tree.remember();
                } catch (RuntimeException e) {
                    log.warn("agent pid {}: scanning its process tree failed: {}", pid(), e.toString());
                }
            }
            exitedAt = clock.instant();
            int code = process.exitValue();
            log.debug("agent pid {} exited with {}", pid(), code);
            tree.stop("agent exited with " + code + ", stopping what it left running", grace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // nobody interrupts this thread; if someone does, it ends
        } catch (RuntimeException | Error e) {
            log.error("agent pid {}: watcher failed", pid(), e);
        } finally {
            if (!process.isAlive()) {
                reaper.unregister(this);
            }
            ended.complete(exitedAt != null ? exitedAt : clock.instant());
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public String toString() {
        return "AgentProcess[pid=" + pid() + " " + command.describe() + "]";
    }
}
