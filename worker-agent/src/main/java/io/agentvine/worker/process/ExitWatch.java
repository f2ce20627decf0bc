package io.agentvine.worker.process;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of {@code agent-watch-<pid>}: remembers the agent's process tree while it runs (every
 * {@link AgentProcess#TREE_SCAN_INTERVAL}); when the agent exits, stops what it left running (a dev
 * server, a stray {@code sleep}), unregisters it from the reaper and completes {@code ended} with the
 * exit instant.
 */
final class ExitWatch implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ExitWatch.class);

    private final Process process;
    private final ProcessTree tree;
    private final Duration grace;
    private final Clock clock;
    private final CompletableFuture<Instant> ended;
    private final Runnable unregister;

    ExitWatch(Process process, ProcessTree tree, Duration grace, Clock clock, CompletableFuture<Instant> ended, Runnable unregister) {
        this.process = process;
        this.tree = tree;
        this.grace = grace;
        this.clock = clock;
        this.ended = ended;
        this.unregister = unregister;
    }

    @Override
    public void run() {
        long pid = process.pid();
        Instant exitedAt = null;
        try {
            while (!process.waitFor(AgentProcess.TREE_SCAN_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
                try {
                    tree.remember();
                } catch (RuntimeException e) {
                    log.warn("agent pid {}: scanning its process tree failed: {}", pid, e.toString());
                }
            }
            exitedAt = clock.instant();
            int code = process.exitValue();
            log.debug("agent pid {} exited with {}", pid, code);
            tree.stop("agent exited with " + code + ", stopping what it left running", grace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // nobody interrupts this thread; if someone does, it ends
        } catch (RuntimeException | Error e) {
            log.error("agent pid {}: watcher failed", pid, e);
        } finally {
            if (!process.isAlive()) {
                unregister.run();
            }
            ended.complete(exitedAt != null ? exitedAt : clock.instant());
        }
    }
}
