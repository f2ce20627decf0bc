package io.agentvine.worker.runtime;

import io.agentvine.queue.Claim;
import io.agentvine.worker.process.AgentProcess;
import java.time.Instant;

/** One order this worker runs now, and what happened to it from outside (cancel, lost lease, shutdown). */
final class ActiveRun {
    enum Stop { NONE, CANCELLED, LOST_LEASE, RELEASED }

    final Claim claim;
    final Instant startedAt;
    private volatile AgentProcess process;
    private volatile Stop stop = Stop.NONE;

    ActiveRun(Claim claim, Instant startedAt) {
        this.claim = claim;
        this.startedAt = startedAt;
    }

    synchronized void attach(AgentProcess p) {
        this.process = p;
        if (stop != Stop.NONE) {
            p.terminate(stop.name().toLowerCase());
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
        if (p != null) {
            p.terminate(why.name().toLowerCase());
        }
    }

    Stop stopped() {
        return stop;
    }
}
