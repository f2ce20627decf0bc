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
