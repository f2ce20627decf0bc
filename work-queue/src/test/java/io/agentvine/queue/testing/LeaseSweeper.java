package io.agentvine.queue.testing;

import io.agentvine.queue.RecoveryReport;
import io.agentvine.queue.WorkQueue;

import io.agentvine.model.TaskType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minimal lease sweeper for queue tests (the controller runs its own, FleetSweeper, with health and
 * history): recovers expired leases of the given types on a named thread. {@link #runOnce()} does one sweep and
 * is what tests call; the thread only repeats it. The scripts are atomic, so several sweepers (several
 * controller replicas) may run at once without recovering an order twice.
 */
public final class LeaseSweeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaseSweeper.class);

    private final WorkQueue queue;
    private final Supplier<List<TaskType>> types;
    private final Duration interval;
    private final Consumer<RecoveryReport> onRecovered;
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile Thread thread;

    public LeaseSweeper(WorkQueue queue, Supplier<List<TaskType>> types, Duration interval,
                        Consumer<RecoveryReport> onRecovered) {
        this.queue = queue;
        this.types = types;
        this.interval = interval;
        this.onRecovered = onRecovered;
    }

    /** One sweep over every type. */
    public RecoveryReport runOnce() {
        RecoveryReport total = RecoveryReport.EMPTY;
        for (TaskType type : types.get()) {
            RecoveryReport r = queue.recoverExpired(type);
            if (r.total() > 0) {
                log.warn("recovered expired leases of {}: requeued {}, dead-lettered {}, cancelled {}",
                        type, r.requeued(), r.deadLettered(), r.cancelled());
                onRecovered.accept(r);
            }
            total = total.plus(r);
        }
        return total;
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = new Thread(this::loop, "lease-sweeper");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (true) {
            try {
                if (stop.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
                runOnce();
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                // Redis down or a bug: log, wait one interval, go on. Leases only expire, they don't vanish.
                log.error("lease sweep failed; retrying in {}", interval, t);
            }
        }
    }

    /** Stops the thread and waits for it; idempotent. */
    @Override
    public void close() {
        stop.countDown();
        Thread t = thread;
        if (t != null) {
            try {
                t.join(interval.toMillis() + 5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
