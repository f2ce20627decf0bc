package io.agentvine.worker.runtime;

import io.agentvine.model.WorkerCommand;
import io.agentvine.model.WorkerStatus;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the worker is doing, shared by its parts: the runs it holds, and whether it is paused,
 * draining, drained or stopping (the controller's commands arrive in heartbeat replies; stopping is
 * set by shutdown). It reports itself as one {@link WorkerStatus}.
 */
final class WorkerState {
    private static final Logger log = LoggerFactory.getLogger(WorkerState.class);

    private final Map<String, ActiveRun> active = new ConcurrentHashMap<>();
    private final AtomicInteger completed = new AtomicInteger();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile boolean paused;
    private volatile boolean draining;
    private volatile boolean stopping;
    private volatile OnceMode once;

    WorkerStatus status() {
        if (stopping) {
            return WorkerStatus.STOPPING;
        }
        if (drained.isDone()) {
            return WorkerStatus.DRAINED;
        }
        if (draining) {
            return WorkerStatus.DRAINING;
        }
        if (paused) {
            return WorkerStatus.PAUSED;
        }
        return active.isEmpty() ? WorkerStatus.IDLE : WorkerStatus.BUSY;
    }

    /** Applies a command from a heartbeat reply. */
    void apply(WorkerCommand command) {
        switch (command) {
            case PAUSE -> paused = true;
            case RESUME -> paused = false;
            case DRAIN -> draining = true;
            default -> { }
        }
    }

    boolean paused() {
        return paused;
    }

    boolean draining() {
        return draining;
    }

    boolean stopping() {
        return stopping;
    }

    void stop() {
        stopping = true;
    }

    /** Neither stopping, draining nor paused: the worker may take new orders (resources aside). */
    boolean takesOrders() {
        return !stopping && !draining && !paused;
    }

    /** From now on the worker runs one order only (see {@link OnceMode}). */
    void runOnce(OnceMode mode) {
        once = mode;
    }

    /** A {@code --once} worker that has claimed nothing for too long drains (and so exits). */
    void drainIfIdleTooLong() {
        OnceMode mode = once;
        if (mode != null && !draining && active.isEmpty() && mode.idleTooLong()) {
            log.info("--once: no order within {}; nothing to do here", mode.idleExit());
            draining = true;
        }
    }

    /**
     * Only the claim loop and a finished run's slot claim, and neither does once draining: so a
     * draining worker whose runs have all ended holds nothing and never will again.
     */
    void markDrainedOnceIdle() {
        if (draining && !drained.isDone() && active.isEmpty()) {
            log.info("drained: every run this worker held has ended; it claims nothing more and waits to be stopped");
            drained.complete(null);
        }
    }

    /** Completes once this worker is drained: told to drain, and every run it held has ended. */
    CompletableFuture<Void> drained() {
        return drained;
    }

    void add(ActiveRun run) {
        active.put(run.claim.id(), run);
        if (once != null && !draining) {
            log.info("--once: {} is this worker's one order; it claims nothing more", run.claim.id());
            draining = true; // before the claim loop's next turn: admitted on its thread
        }
    }

    void remove(ActiveRun run) {
        active.remove(run.claim.id());
    }

    Collection<ActiveRun> active() {
        return active.values();
    }

    int completedCount() {
        return completed.get();
    }

    void completedOne() {
        completed.incrementAndGet();
    }
}
