package io.agentvine.queue;

import java.time.Instant;

/**
 * The reply to a lease extension.
 *
 * @param state      ACTIVE: go on; CANCEL_REQUESTED: stop the agent and {@code fail} the order (it ends
 *                   cancelled); LOST: another holder has it or it was recovered — abort without acking
 * @param leaseUntil the new deadline (null when lost)
 */
public record LeaseStatus(State state, Instant leaseUntil) {
    public enum State { ACTIVE, CANCEL_REQUESTED, LOST }

    public boolean lost() {
        return state == State.LOST;
    }

    public boolean cancelRequested() {
        return state == State.CANCEL_REQUESTED;
    }
}
