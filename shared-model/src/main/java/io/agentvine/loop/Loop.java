package io.agentvine.loop;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shell of every background loop, written once: runs a {@link Body} over and over on one named
 * daemon thread. Whatever an iteration throws — an exception or an {@link Error} — is logged and
 * followed by a {@link Backoff} wait before the next iteration: a loop never dies silently. An
 * {@code Error} is logged at ERROR with its stack trace; an exception at WARN, with its stack trace the
 * first time in a row (an outage of the controller, Redis or the database repeats itself).
 * {@link #close()} is idempotent and prompt (waits between iterations end at once; the body's own
 * blocking call finishes first, the thread is interrupted only when it overstays the join limit).
 * {@link #runOnce()} runs one iteration in the caller, as the thread does, for tests.
 *
 * <p>It lives in shared-model because both applications run such loops (the worker's heartbeat, claim
 * and lease loops; the controller's sweeper, heartbeat flusher and stream consumers) and this module is
 * the one both depend on that brings no framework: plain JDK plus the SLF4J facade.
 */
public final class Loop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Loop.class);
    private static final Duration JOIN_LIMIT = Duration.ofSeconds(5);

    /** One iteration; returns how long to wait before the next ({@link Duration#ZERO}: at once). */
    @FunctionalInterface
    public interface Body {
        Duration runOnce() throws Exception;
    }

    private final String name;
    private final Body body;
    private final Backoff backoff;
    private final RandomGenerator random = RandomGenerator.getDefault();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Thread thread;
    private final AtomicInteger failures = new AtomicInteger();

    /** @param backoff the waits after failed iterations, growing while failures follow each other */
    public Loop(String name, Backoff backoff, Body body) {
        this.name = name;
        this.body = body;
        this.backoff = backoff;
    }

    /** Starts the thread, which waits {@code initialDelay} before the first iteration; idempotent. */
    public Loop start(Duration initialDelay) {
        if (!closed.get() && started.compareAndSet(false, true)) {
            Thread t = new Thread(() -> run(initialDelay), name);
            t.setDaemon(true);
            thread = t;
            t.start();
        }
        return this;
    }

    public Loop start() {
        return start(Duration.ZERO);
    }

    private void run(Duration initialDelay) {
        Duration wait = initialDelay;
        while (!await(wait)) {
            wait = runOnce();
        }
    }

    /**
     * One iteration: never throws. Returns the body's wait, or after a failure the backoff's (which grows
     * with the failures in a row and starts over after a success).
     */
    public Duration runOnce() {
        try {
            Duration next = body.runOnce();
            failures.set(0);
            return next == null ? Duration.ZERO : next;
        } catch (Throwable t) {
            if (closed.get()) {
                return Duration.ZERO; // the body was stopped under it: not a failure
            }
            if (t instanceof InterruptedException) {
                Thread.interrupted(); // only close() may end the loop
            }
            int n = failures.incrementAndGet();
            Duration d = backoff.delay(n, random);
            if (t instanceof Error) {
                log.error("{} failed ({} in a row); going on in {} ms", name, n, d.toMillis(), t);
            } else if (n == 1) {
                log.warn("{} failed ({} in a row); going on in {} ms", name, n, d.toMillis(), t);
            } else {
                log.warn("{} failed ({} in a row): {}; going on in {} ms", name, n, t, d.toMillis());
            }
            return d;
        }
    }

    public String name() {
        return name;
    }

    public boolean isRunning() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    /** Waits up to {@code d} for the loop's thread to end; true when it has ended (or never started). */
    public boolean awaitTermination(Duration d) throws InterruptedException {
        Thread t = thread;
        if (t == null) {
            return true;
        }
        t.join(Math.max(1, d.toMillis()));
        return !t.isAlive();
    }

    /** Waits up to {@code d} unless the loop is closed meanwhile; true when it is closed. */
    private boolean await(Duration d) {
        try {
            return d.isZero() || d.isNegative() ? closed.get() : stop.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            return closed.get();
        }
    }

    /** Ends the loop after the current iteration and waits for its thread; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stop.countDown();
        Thread t = thread;
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        try {
            t.join(JOIN_LIMIT.toMillis());
            if (t.isAlive()) {
                log.warn("{} still in an iteration after {} s: interrupting it", name, JOIN_LIMIT.toSeconds());
                t.interrupt();
                t.join(JOIN_LIMIT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
