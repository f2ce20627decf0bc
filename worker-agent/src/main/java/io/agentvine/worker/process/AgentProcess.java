package io.agentvine.worker.process;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running agent: its process, the threads that read its stdout and stderr line by line into the
 * log file and to a {@link LineListener}, and the means to stop its whole process tree.
 *
 * <p>Stopping is SIGTERM to every process of the tree, then, after a grace period (5 s by default),
 * SIGKILL to whatever is still alive. Descendants are collected before the first signal — once a
 * parent dies its children are re-parented and no longer reachable through it — and collected again
 * before SIGKILL for anything spawned in between. Every started process is registered with the
 * {@link ProcessReaper}, so a JVM shutdown stops it too: no orphans.
 */
public final class AgentProcess implements AutoCloseable {
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(AgentProcess.class);

    /** How a run ended. {@code exitCode} is null when the process was killed before reporting one. */
    public record Outcome(Kind kind, Integer exitCode, Duration duration) {
        public enum Kind { EXITED, TIMED_OUT, TERMINATED }
    }

    private final Process process;
    private final AgentCommand command;
    private final Clock clock;
    private final Instant startedAt;
    private final BufferedWriter logWriter;
    private final List<Thread> readers = new ArrayList<>();
    private final AtomicBoolean terminated = new AtomicBoolean();
    private final Duration grace;
    private volatile String terminationReason;

    private AgentProcess(Process process, AgentCommand command, BufferedWriter logWriter, Clock clock, Duration grace) {
        this.process = process;
        this.command = command;
        this.logWriter = logWriter;
        this.clock = clock;
        this.grace = grace;
        this.startedAt = clock.instant();
    }

    public static AgentProcess start(AgentCommand command, LineListener listener, Clock clock) {
        return start(command, listener, clock, DEFAULT_GRACE);
    }

    public static AgentProcess start(AgentCommand command, LineListener listener, Clock clock, Duration grace) {
        try {
            Files.createDirectories(command.logFile().toAbsolutePath().getParent());
            BufferedWriter logWriter = Files.newBufferedWriter(command.logFile(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder pb = new ProcessBuilder(command.argv()).directory(command.workingDir().toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(command.environment());
            Process p = pb.start();
            AgentProcess ap = new AgentProcess(p, command, logWriter, clock, grace);
            log.info("agent started: pid {} {}", p.pid(), command.describe());
            ap.read(p.getInputStream(), LineListener.Stream.STDOUT, listener);
            ap.read(p.getErrorStream(), LineListener.Stream.STDERR, listener);
            ProcessReaper.INSTANCE.register(ap);
            return ap;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start agent " + command.argv().get(0) + ": " + e.getMessage(), e);
        }
    }

    private void read(InputStream in, LineListener.Stream stream, LineListener listener) {
        String tag = stream == LineListener.Stream.STDOUT ? "out" : "err";
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    writeLog(tag, line);
                    try {
                        listener.onLine(stream, line);
                    } catch (RuntimeException e) {
                        log.warn("line listener failed on a {} line of pid {}: {}", tag, process.pid(), e.toString());
                    }
                }
            } catch (IOException e) {
                log.debug("{} of pid {} closed: {}", tag, process.pid(), e.toString());
            }
        }, "agent-std" + tag + "-" + process.pid());
        t.setDaemon(true);
        readers.add(t);
        t.start();
    }

    private void writeLog(String tag, String line) {
        synchronized (logWriter) {
            try {
                logWriter.write(clock.instant() + " " + tag + " " + line);
                logWriter.newLine();
                logWriter.flush(); // the log is live: operators tail it while the agent runs
            } catch (IOException e) {
                log.warn("cannot write the agent log {}: {}", command.logFile(), e.toString());
            }
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /**
     * Waits for the agent to exit, at most {@code timeout}; past it the whole tree is stopped. Returns
     * once the output is fully read, so the last lines are in the log and were handed to the listener.
     */
    public Outcome waitFor(Duration timeout) {
        boolean exited;
        try {
            exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            terminate("interrupted");
            exited = false;
        }
        if (!exited && !terminated.get()) {
            terminate("timeout after " + timeout);
            joinReaders();
            return new Outcome(Outcome.Kind.TIMED_OUT, exitValue(), elapsed());
        }
        joinReaders();
        ProcessReaper.INSTANCE.unregister(this);
        if (terminated.get()) {
            return new Outcome(Outcome.Kind.TERMINATED, exitValue(), elapsed());
        }
        return new Outcome(Outcome.Kind.EXITED, process.exitValue(), elapsed());
    }

    private Integer exitValue() {
        return process.isAlive() ? null : process.exitValue();
    }

    private Duration elapsed() {
        return Duration.between(startedAt, clock.instant());
    }

    /** SIGTERM to the whole tree, SIGKILL after the grace to what is left; idempotent. */
    public void terminate(String reason) {
        if (!terminated.compareAndSet(false, true)) {
            return;
        }
        terminationReason = reason;
        List<ProcessHandle> tree = tree();
        log.info("stopping agent pid {} and {} descendants: {}", process.pid(), tree.size() - 1, reason);
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        while (System.nanoTime() < deadline && tree.stream().anyMatch(ProcessHandle::isAlive)) {
            sleep(20);
        }
        // Anything spawned meanwhile is caught now, with what ignored SIGTERM.
        List<ProcessHandle> left = new ArrayList<>(tree);
        if (process.isAlive()) {
            left.addAll(process.descendants().toList());
        }
        left.stream().filter(ProcessHandle::isAlive).forEach(ph -> {
            log.info("pid {} survived SIGTERM for {}: SIGKILL", ph.pid(), grace);
            ph.destroyForcibly();
        });
        long hardDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < hardDeadline && left.stream().anyMatch(ProcessHandle::isAlive)) {
            sleep(10);
        }
        ProcessReaper.INSTANCE.unregister(this);
    }

    /** The process and all its descendants, deepest first (children before the parent that would re-parent them). */
    private List<ProcessHandle> tree() {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        java.util.Collections.reverse(all);
        all.add(process.toHandle());
        return all;
    }

    public String terminationReason() {
        return terminationReason;
    }

    private void joinReaders() {
        for (Thread t : readers) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stops the tree if still running, drains the output, closes the log; idempotent. */
    @Override
    public void close() {
        if (process.isAlive()) {
            terminate("closed");
        }
        joinReaders();
        ProcessReaper.INSTANCE.unregister(this);
        synchronized (logWriter) {
            try {
                logWriter.close();
            } catch (IOException e) {
                log.debug("closing agent log: {}", e.toString());
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
