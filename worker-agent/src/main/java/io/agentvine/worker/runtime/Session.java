package io.agentvine.worker.runtime;

import io.agentvine.queue.Claimer;
import java.time.Duration;

/**
 * The parts of a worker that exist once it is registered, because they need its id and the lease the
 * controller prescribes: heartbeats, the claim loop with the claimer it blocks on, the lease keeper
 * and the slots the runs take.
 */
record Session(Heartbeats heartbeats, ClaimLoop claims, Claimer claimer, LeaseKeeper leases, RunSlots slots) {

    /** Opens a session once registered; {@link #close()} closes its connections (also when none was opened). */
    interface Factory extends AutoCloseable {
        Session open(Duration lease);

        @Override
        void close();
    }
}
