package io.agentvine.worker.runtime;

import io.agentvine.queue.LeaseStatus;
import io.agentvine.queue.WorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of {@code worker-lease}, every lease/3 and at most every {@link #EXTEND_EVERY}: extends every
 * held lease (an extension is also how a cancel reaches the agent, so it runs often: one Redis call per
 * running task, on a connection of its own), stops runs whose order was cancelled or taken away, stops
 * agents silent for the stall time, and sends each run's usage as it grows. The runs are watched even
 * when the extension failed.
 */
final class LeaseKeeper {
    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);
    static final Duration EXTEND_EVERY = Duration.ofSeconds(2);
    static final Duration USAGE_EVERY = Duration.ofSeconds(10);

    private final WorkQueue queue;
    private final WorkerState state;
    private final RunEvents events;
    private final Clock clock;
    private final Duration every;

    LeaseKeeper(WorkQueue queue, WorkerState state, RunEvents events, Clock clock) {
        this.queue = queue;
        this.state = state;
        this.events = events;
        this.clock = clock;
        Duration third = queue.settings().lease().dividedBy(3);
        this.every = third.compareTo(EXTEND_EVERY) < 0 ? third : EXTEND_EVERY;
    }

    /** How often the loop runs; failed extensions are retried well within the lease (a longer backoff would lose it). */
    Duration every() {
        return every;
    }

    /** One turn of {@code worker-lease}. */
    Duration runOnce() {
        RuntimeException extendFailed = null;
        try {
            extendOnce();
        } catch (RuntimeException e) {
            extendFailed = e;
        }
        watchOnce();
        if (extendFailed != null) {
            throw extendFailed;
        }
        return every;
    }

    /** Extends every held lease once; stops runs whose order was cancelled or taken away. */
    void extendOnce() {
        for (ActiveRun run : state.active()) {
            LeaseStatus s = queue.extend(run.claim);
            if (s.cancelRequested()) {
                log.info("cancel requested for {}: stopping its agent", run.claim.id());
                run.stop(ActiveRun.Stop.CANCELLED);
            } else if (s.lost()) {
                log.warn("lease of {} lost (recovered by the queue): aborting the run", run.claim.id());
                run.stop(ActiveRun.Stop.LOST_LEASE);
            }
        }
    }

    /**
     * Stops agents that have been silent for the stall time (not while they wait for an answer), and
     * sends each run's usage since its last usage event, at most every {@link #USAGE_EVERY}, so that cost
     * shows while a run is still going.
     */
    void watchOnce() {
        Instant now = clock.instant();
        for (ActiveRun run : state.active()) {
            RunWatch w = run.watch;
            if (w == null) {
                continue;
            }
            if (run.agentRunning && run.openQuestions.get() == 0) {
                w.checkStall(now);
            }
            if (run.lastUsageEvent == null || !now.isBefore(run.lastUsageEvent.plus(USAGE_EVERY))) {
                run.lastUsageEvent = now;
                events.usage(run);
            }
        }
    }
}
