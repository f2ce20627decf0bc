package io.agentvine.loop;

import java.time.Duration;

/**
 * A {@link Loop} that runs one pass now, then one every {@code every} or as soon as its {@link Wakeup} rings,
 * whichever comes first; a pass that throws backs off (a quarter of {@code every}, up to {@code every}) and the
 * loop goes on. {@link #close()} stops it, idempotent: the controller's background checks (chain releases,
 * parked runs, budgets) are each one of these.
 */
public final class CheckLoop implements AutoCloseable {
    private final Loop loop;
    private final Wakeup wakeup;
    private volatile boolean closed;

    public CheckLoop(String name, Duration every, Wakeup wakeup, Runnable pass) {
        this.wakeup = wakeup;
        this.loop = new Loop(name, new Backoff(every.dividedBy(4), every), () -> {
            pass.run();
            wakeup.await(every, () -> closed);
            return Duration.ZERO;
        });
        loop.start(Duration.ZERO);
    }

    @Override
    public void close() {
        closed = true;
        wakeup.ring();
        loop.close();
    }
}
