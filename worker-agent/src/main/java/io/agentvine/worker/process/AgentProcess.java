package io.agentvine.worker.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a coding agent as an OS process, supervised.
 *
 * <p><b>Start</b> ({@link AgentLauncher}): the argv as-is, no shell; a filtered environment plus
 * {@value #TREE_COOKIE}, a random value by which the run's processes are recognised even once
 * re-parented (see {@link ProcessTree}); an empty stdin or the command's file: an agent must never wait
 * for a human. The process is registered with the {@link ProcessReaper}, so a JVM shutdown stops it too.
 *
 * <p><b>Output</b> ({@link OutputPump}): stdout and stderr line by line, each on its own daemon thread
 * ({@code agent-stdout-<pid>}, {@code agent-stderr-<pid>}), to the log file and the {@link LineListener},
 * secrets masked. {@link #waitFor} returns only once the output is read to its end.
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
    private static final Logger log = LoggerFactory.getLogger(AgentProcess.class);

    private record Stop(AgentOutcome.Kind kind, String reason) { }

    private final Process process;
    private final AgentCommand command;
    private final Clock clock;
    private final Duration grace;
    private final ProcessReaper reaper;
    private final AgentLog agentLog;
    private final ProcessTree tree;
    private final Instant startedAt;
    private final Thread stdoutReader;
    private final Thread stderrReader;
    private final Thread watcher;
    /** Completed by the watcher with the exit instant once the agent exited and what it left is stopped. */
    private final CompletableFuture<Instant> ended = new CompletableFuture<>();
    private final AtomicReference<Stop> stop = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private AgentOutcome outcome; // guarded by this

    private AgentProcess(AgentLauncher.Launched launched, LineListener listener, Clock clock, Duration grace, ProcessReaper reaper) {
        this.process = launched.process();
        this.command = launched.command();
        this.clock = clock;
        this.grace = grace;
        this.reaper = reaper;
        this.agentLog = launched.log();
        this.startedAt = launched.startedAt();
        this.tree = new ProcessTree(process.toHandle(), TREE_COOKIE + "=" + launched.cookie(), KILL_WAIT);
        long pid = process.pid();
        OutputPump output = new OutputPump(pid, agentLog, launched.secrets(), listener);
        this.stdoutReader = daemon("agent-stdout-" + pid, () -> output.pump(process.getInputStream(), LineListener.Stream.STDOUT));
        this.stderrReader = daemon("agent-stderr-" + pid, () -> output.pump(process.getErrorStream(), LineListener.Stream.STDERR));
        this.watcher = daemon("agent-watch-" + pid, new ExitWatch(process, tree, grace, clock, ended, () -> reaper.unregister(this)));
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

    /**
     * As {@link #start(AgentCommand, LineListener, Clock, Duration)}; every line of the log file (the
     * agent's output and our {@code sys} notes) also goes to {@code sink}, the run's live log.
     */
    public static AgentProcess start(AgentCommand command, LineListener listener, Clock clock, Duration grace, LogSink sink) {
        return start(command, listener, clock, grace, ProcessReaper.instance(), sink);
    }

    static AgentProcess start(AgentCommand command, LineListener listener, Clock clock, Duration grace,
                              ProcessReaper reaper) {
        return start(command, listener, clock, grace, reaper, LogSink.NONE);
    }

    static AgentProcess start(AgentCommand command, LineListener listener, Clock clock, Duration grace,
                              ProcessReaper reaper, LogSink sink) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(reaper, "reaper");
        Objects.requireNonNull(sink, "sink");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative: " + grace);
        }
        AgentProcess agent = new AgentProcess(AgentLauncher.launch(command, clock, sink), listener, clock, grace, reaper);
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
    public AgentOutcome waitFor(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        try {
            if (!process.waitFor(Bounded.saturatedMillis(timeout), TimeUnit.MILLISECONDS)) {
                stop(AgentOutcome.Kind.TIMED_OUT, "timed out after " + timeout);
            }
        } catch (InterruptedException e) {
            stop(AgentOutcome.Kind.TERMINATED, "interrupted while waiting for it");
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
        stop(AgentOutcome.Kind.TERMINATED, reason);
    }

    private void stop(AgentOutcome.Kind kind, String reason) {
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
                stop(AgentOutcome.Kind.TERMINATED, "closed while running");
            }
            finish();
        } finally {
            if (!process.isAlive()) {
                reaper.unregister(this); // one that could not be stopped stays for the shutdown hook's try
            }
            agentLog.close();
        }
    }

    private AgentOutcome finish() {
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

    private synchronized AgentOutcome settle() {
        if (outcome == null) {
            Stop s = stop.get();
            Integer code = process.isAlive() ? null : process.exitValue();
            Instant end = ended.isDone() ? ended.join() : clock.instant();
            outcome = new AgentOutcome(s == null ? AgentOutcome.Kind.EXITED : s.kind(), code, Duration.between(startedAt, end));
            String what = outcome.kind().name().toLowerCase(Locale.ROOT) + " with " + code + " after " + outcome.duration();
            agentLog.write(AgentLog.SYS, what);
            log.info("agent pid {} {}", pid(), what);
        }
        return outcome;
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
