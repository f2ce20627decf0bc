package io.agentvine.cli.up;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops processes the polite way, portably ({@link ProcessHandle}, no signals by number): SIGTERM to
 * each, up to a timeout for all of them together, then SIGKILL for those still running; afterwards
 * whatever they had started (an agent and its children) is killed too, so nothing is left behind.
 */
public final class ProcessStopper {
    private final FleetOutput out;
    private final Clock clock;

    public ProcessStopper(FleetOutput out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    /** Stops {@code processes} (already exited ones are skipped) and their descendants; returns when all are gone. */
    public void stop(List<ProcessHandle> processes, Duration timeout) {
        List<ProcessHandle> descendants = new ArrayList<>();
        List<ProcessHandle> signalled = new ArrayList<>();
        for (ProcessHandle p : processes) {
            if (p.isAlive()) {
                p.descendants().forEach(descendants::add); // before they are orphaned
                p.destroy();
                signalled.add(p);
            }
        }
        Instant deadline = clock.instant().plus(timeout);
        for (ProcessHandle p : signalled) {
            if (!awaitExit(p, Duration.between(clock.instant(), deadline))) {
                out.warn("pid " + p.pid() + " did not stop within " + timeout.toSeconds() + " s: killing it");
                p.destroyForcibly();
                awaitExit(p, Duration.ofSeconds(10));
            }
        }
        for (ProcessHandle d : descendants) {
            if (d.isAlive()) {
                d.destroyForcibly();
                awaitExit(d, Duration.ofSeconds(5));
            }
        }
    }

    /** Waits until {@code p} has exited, at most {@code wait}; true when it has. */
    static boolean awaitExit(ProcessHandle p, Duration wait) {
        if (!p.isAlive()) {
            return true;
        }
        try {
            p.onExit().get(Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !p.isAlive();
        } catch (ExecutionException e) {
            return !p.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }
}
