package io.agentvine.worker.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the network steps of runs (clone, push, pull request) each on a thread of its own,
 * {@code worker-net-<work order id>}, and waits for one only as long as its run may: until the step
 * ends, the run is stopped (cancel, lost lease, shutdown) or the run's deadline passes. A thread
 * blocked in a socket read does not wake on an interrupt, so a run could not otherwise leave a
 * silent server; the step itself still ends by its own timeouts ({@code AGENTVINE_GIT_TIMEOUT}),
 * and hands a result that comes too late to its cleanup (a late clone is closed, which deletes it
 * on that thread). {@link #close} waits for the steps still running.
 */
final class NetworkSteps implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NetworkSteps.class);

    /** The run stopped waiting for a step: it was stopped from outside, or its deadline passed. */
    static final class GaveUp extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GaveUp(String step) {
            super(step);
        }

        /** What was given up on: "the clone", "the push", … */
        String step() {
            return getMessage();
        }
    }

    private final Clock clock;
    private final Duration stepTimeout;
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();

    /** @param stepTimeout how long a step may go on after it was given up on, at most (the git timeout) */
    NetworkSteps(Clock clock, Duration stepTimeout) {
        this.clock = clock;
        this.stepTimeout = stepTimeout;
    }

    /**
     * Runs {@code step} for {@code run} and returns its result, or rethrows what it threw.
     *
     * @param late what to do with a result that arrives after the run gave up on it
     * @throws GaveUp when the run was stopped or its deadline passed first
     */
    <T> T run(String name, ActiveRun run, Instant deadline, Supplier<T> step, Consumer<T> late) {
        CompletableFuture<T> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                T value = step.get();
                if (!done.complete(value) && value != null) {
                    late.accept(value);
                }
            } catch (Throwable e) {
                done.completeExceptionally(e);
            } finally {
                running.remove(Thread.currentThread());
            }
        }, "worker-net-" + run.claim.id());
        t.setDaemon(true);
        running.add(t);
        t.start();
        try {
            long ms = Math.max(0, Duration.between(clock.instant(), deadline).toMillis());
            CompletableFuture.anyOf(done, run.whenStopped()).get(ms, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the deadline passed, or the step failed: told apart below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (done.completeExceptionally(new CancellationException(name + " given up"))) {
            log.warn("{} of {} given up ({}); it ends by itself within {} s", name, run.claim.id(),
                    run.stopped() == ActiveRun.Stop.NONE ? "deadline" : run.stopped().name().toLowerCase(Locale.ROOT),
                    stepTimeout.toSeconds());
            t.interrupt(); // wakes what can be woken (an ssh channel); a socket read waits for its timeout
            throw new GaveUp(name);
        }
        try {
            return done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** Waits, at most the step timeout and a little more, for the steps given up on to end. Idempotent. */
    @Override
    public void close() {
        if (running.isEmpty()) {
            return;
        }
        log.info("waiting up to {} s for {} network step(s) to end", stepTimeout.toSeconds() + 5, running.size());
        long until = System.nanoTime() + stepTimeout.plusSeconds(5).toNanos();
        for (Thread t : Set.copyOf(running)) {
            try {
                t.join(Math.max(1, (until - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
