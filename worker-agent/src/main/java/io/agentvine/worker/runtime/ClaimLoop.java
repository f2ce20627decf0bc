package io.agentvine.worker.runtime;

import io.agentvine.model.TaskType;
import io.agentvine.queue.Claim;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The body of {@code worker-claim}: reserves a slot <em>before</em> blocking on the queue, claims at
 * most one order (the queue's claimer round-robins the types and wakes at once on a new order) and
 * hands it to the slot. It claims nothing while stopping, draining, paused, or below the memory or disk
 * floor; a draining worker whose runs have all ended is {@code drained} for good.
 */
final class ClaimLoop {
    static final Duration CLAIM_WAIT = Duration.ofSeconds(2);
    /** How often it looks again while it may not claim (paused, draining, low on resources). */
    static final Duration NOT_CLAIMING_WAIT = Duration.ofMillis(500);
    private static final Duration SLOT_WAIT = Duration.ofSeconds(1);

    /** Where the claims come from: the queue's claimer (tests may wrap it). */
    @FunctionalInterface
    interface ClaimSource {
        Optional<Claim> claim(List<TaskType> types, Duration wait);
    }

    private final List<TaskType> types;
    private final ClaimSource source;
    private final WorkerState state;
    private final ClaimGate gate;
    private final RunSlots slots;

    ClaimLoop(List<TaskType> types, ClaimSource source, WorkerState state, ClaimGate gate, RunSlots slots) {
        this.types = List.copyOf(types);
        this.source = source;
        this.state = state;
        this.gate = gate;
        this.slots = slots;
    }

    /** One turn: at most one order claimed and handed to a task thread; returns the wait before the next. */
    Duration claimOnce() throws InterruptedException {
        state.drainIfIdleTooLong();
        if (state.draining()) {
            state.markDrainedOnceIdle();
        }
        if (!gate.open()) {
            return NOT_CLAIMING_WAIT;
        }
        if (!slots.tryAcquire(SLOT_WAIT)) {
            return Duration.ZERO; // every slot busy
        }
        Optional<Claim> claim = Optional.empty();
        try {
            claim = source.claim(types, CLAIM_WAIT);
        } catch (RuntimeException e) {
            if (state.stopping()) {
                return NOT_CLAIMING_WAIT; // the claimer was closed under the claim
            }
            throw e;
        } finally {
            if (claim.isEmpty()) {
                slots.release(); // nothing claimed, or the claim failed (an Error too)
            }
        }
        claim.ifPresent(slots::begin);
        return Duration.ZERO;
    }
}
