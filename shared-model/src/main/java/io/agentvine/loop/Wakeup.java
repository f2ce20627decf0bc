package io.agentvine.loop;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * How a {@link Loop}'s body waits for work: up to a time, unless it is {@link #ring() rung} first (new work, a
 * close) or a condition holds. A ring that comes while the body works is not lost: the next wait returns at once.
 */
public final class Wakeup {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition rung = lock.newCondition();
    private boolean pending; // guarded by lock

    /** Ends the current or the next wait. */
    public void ring() {
        lock.lock();
        try {
            pending = true;
            rung.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code limit}, until a ring or until {@code ready} holds (checked at the start and at each signal). */
    public void await(Duration limit, BooleanSupplier ready) throws InterruptedException {
        lock.lock();
        try {
            long nanos = limit.toNanos();
            while (!pending && nanos > 0 && !ready.getAsBoolean()) {
                nanos = rung.awaitNanos(nanos);
            }
            pending = false;
        } finally {
            lock.unlock();
        }
    }
}
