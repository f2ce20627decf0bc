package io.agentvine.worker.runtime;

import io.agentvine.worker.metrics.HostMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Whether this worker takes a new order now: not stopping, draining or paused, and above its memory and disk floors. */
final class ClaimGate {
    private static final Logger log = LoggerFactory.getLogger(ClaimGate.class);

    private final WorkerState state;
    private final HostMetrics metrics;
    private final long minFreeMemoryMb;
    private final long minFreeDiskMb;

    ClaimGate(WorkerState state, HostMetrics metrics, long minFreeMemoryMb, long minFreeDiskMb) {
        this.state = state;
        this.metrics = metrics;
        this.minFreeMemoryMb = minFreeMemoryMb;
        this.minFreeDiskMb = minFreeDiskMb;
    }

    boolean open() {
        return state.takesOrders() && !lowOnResources();
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
