package io.agentvine.worker.runtime;

import io.agentvine.model.ClarificationRequest;
import io.agentvine.queue.Claim;
import io.agentvine.worker.process.AgentProcess;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** One order this worker runs now, and what happened to it from outside (cancel, lost lease, shutdown). */
final class ActiveRun {
    enum Stop { NONE, CANCELLED, LOST_LEASE, RELEASED, BUDGET_EXCEEDED, STALLED, NEEDS_CLARIFICATION,
        /** The agent's question went unanswered for the run's park-after: the run saves its work and parks. */
        PARKED }

    final Claim claim;
    final Instant startedAt;
    /** The step the run is at (heartbeats and {@code step_changed} events); move it through {@link RunPipeline.Events#step}. */
    final CurrentStep step;
    private volatile AgentProcess process;
    private volatile Stop stop = Stop.NONE;
    private final CompletableFuture<Stop> stopped = new CompletableFuture<>();
    /** Set while the agent runs: the lease loop checks it for stalls and sends its usage. */
    volatile RunWatch watch;
    /** True only while the agent itself runs: tests and an approval wait are silent by design. */
    volatile boolean agentRunning;
    /** Questions the agent is waiting on: a silent agent waiting for a human is not stalled. */
    final AtomicInteger openQuestions = new AtomicInteger();
    /** The question the run parks on (set before it stops with {@link Stop#PARKED}). */
    volatile ClarificationRequest parkedOn;
    /** When the lease loop last sent this run's usage. */
    volatile Instant lastUsageEvent;
    /** Measured with System.nanoTime for the claim-to-agent-start figure, not for any decision. */
    final long claimedNanos = System.nanoTime();
    volatile long cloneNanos;
    volatile long spawnNanos;
    volatile long agentStartedNanos;

    ActiveRun(Claim claim, Clock clock) {
        this.claim = claim;
        this.startedAt = clock.instant();
        this.step = new CurrentStep(clock);
    }

    synchronized void attach(AgentProcess p) {
        this.process = p;
        if (stop != Stop.NONE) {
            p.terminate(stop.name().toLowerCase(Locale.ROOT));
        }
    }

    /** Records why the run must stop and stops its agent (if one runs); the first reason wins. */
    void stop(Stop why) {
        AgentProcess p;
        synchronized (this) {
            if (stop != Stop.NONE) {
                return;
            }
            stop = why;
            p = process;
        }
        stopped.complete(why);
        if (p != null) {
            p.terminate(why.name().toLowerCase(Locale.ROOT));
        }
    }

    /** Completes when the run is stopped: what a wait for a step other than the agent ends on. */
    CompletableFuture<Stop> whenStopped() {
        return stopped;
    }

    Stop stopped() {
        return stop;
    }
}
