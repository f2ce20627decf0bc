package io.agentvine.worker.runtime;

import io.agentvine.worker.metrics.HostMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this worker takes a new order now: not stopping, draining or paused, and above its memory and
 * disk floors; and whether a slot whose run completed takes it with its ack.
 */
final class ClaimGate {
    private static final Logger log = LoggerFactory.getLogger(ClaimGate.class);

    private final WorkerState state;
    private final HostMetrics metrics;
    private final long minFreeMemoryMb;
    private final long minFreeDiskMb;
    private final boolean singleType;

    ClaimGate(WorkerState state, HostMetrics metrics, long minFreeMemoryMb, long minFreeDiskMb, int types) {
        this.state = state;
        this.singleType = types == 1;
        this.metrics = metrics;
        this.minFreeMemoryMb = minFreeMemoryMb;
        this.minFreeDiskMb = minFreeDiskMb;
    }

    boolean open() {
        return state.takesOrders() && !lowOnResources();
    }

    /**
     * A completed run's slot claims with its ack when the worker takes orders and serves one type. An
     * ack claims the next order of its own type only: a worker of several types leaves its claims to the
     * claim loop, whose claimer takes the types in turn, so that a busy type cannot starve another.
     */
    boolean claimsWithAck() {
        return singleType && open();
    }

    private boolean lowOnResources() {
        long mem = metrics.freeMemoryMb();
        long disk = metrics.freeDiskMb();
        if (mem < minFreeMemoryMb || disk < minFreeDiskMb) {
            log.warn("not claiming: {} MB memory and {} MB disk free (floors {} / {})", mem, disk, minFreeMemoryMb, minFreeDiskMb);
            return true;
        }
        return false;
    }
}
