package io.agentvine.worker.runtime;

import io.agentvine.queue.Claim;
import io.agentvine.queue.WorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's slots ({@code max_concurrent_tasks}), each a thread {@code worker-task-N} while it
 * runs. A slot is reserved before a claim and freed when its run ends, unless the run's ack claimed
 * the next order (the slot would claim again at once: see {@link ClaimGate#claimsWithAck()}): then
 * that order runs in the same slot, with no claim of its own.
 */
final class RunSlots {
    private static final Logger log = LoggerFactory.getLogger(RunSlots.class);
    private static final Duration STOPPED_RUNS_WAIT = Duration.ofSeconds(30);

    private final Semaphore free;
    private final ExecutorService threads;
    private final WorkerState state;
    private final OrderRunner runner;
    private final RunReporter reporter;
    private final ClaimGate gate;
    private final WorkQueue queue;
    private final RunLog runLog;
    private final Clock clock;

    /** What a slot needs besides its count: the runner, the reporter, and who says whether to claim next. */
    record Parts(OrderRunner runner, RunReporter reporter, ClaimGate gate, WorkQueue queue, RunLog runLog) {
    }

    RunSlots(int size, WorkerState state, Parts parts, Clock clock) {
        this.free = new Semaphore(size);
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(size, r -> {
            Thread t = new Thread(r, "worker-task-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.state = state;
        this.runner = parts.runner();
        this.reporter = parts.reporter();
        this.gate = parts.gate();
        this.queue = parts.queue();
        this.runLog = parts.runLog();
        this.clock = clock;
    }

    boolean tryAcquire(Duration wait) throws InterruptedException {
        return free.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    void release() {
        free.release();
    }

    /** Hands a claimed order to a task thread; the slot, already reserved, is freed when its runs end. */
    void begin(Claim c) {
        ActiveRun run = admit(c);
        try {
            threads.execute(() -> runFrom(run));
        } catch (RuntimeException | Error notStarted) {
            state.remove(run);
            free.release();
            try {
                queue.release(c); // back at the head of its queue for another worker
            } catch (RuntimeException e) {
                notStarted.addSuppressed(e);
            }
            throw notStarted;
        }
    }

    private ActiveRun admit(Claim c) {
        ActiveRun run = new ActiveRun(c, clock);
        state.add(run);
        runLog.claimed(c);
        if (state.stopping()) {
            run.stop(ActiveRun.Stop.RELEASED); // claimed while stopping: hand it straight back
        }
        return run;
    }

    /** Runs {@code first}, then each order its ack claimed, in this slot; frees the slot at the end. */
    private void runFrom(ActiveRun first) {
        ActiveRun run = first;
        try {
            while (run != null) {
                Optional<Claim> next = Optional.empty();
                try (var context = RunLog.context(run.claim)) {
                    runLog.started(run.claim);
                    next = reporter.report(run, runner.run(run), gate.claimsWithAck());
                } catch (Throwable t) {
                    log.error("run of {} failed unexpectedly", run.claim.id(), t);
                } finally {
                    state.remove(run);
                }
                run = next.map(this::admit).orElse(null);
            }
        } finally {
            free.release();
        }
    }

    /**
     * Lets the running tasks finish within {@code grace}; then stops the remaining agents, whose runs
     * release their orders, and waits for them.
     */
    void shutdown(Duration grace) {
        threads.shutdown();
        try {
            if (!threads.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                state.active().forEach(r -> r.stop(ActiveRun.Stop.RELEASED));
                threads.awaitTermination(STOPPED_RUNS_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
