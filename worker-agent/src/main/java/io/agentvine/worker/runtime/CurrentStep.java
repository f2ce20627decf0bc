package io.agentvine.worker.runtime;

import io.agentvine.model.RunStep;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The step one run is at and since when (on the worker's injected clock): what its heartbeat carries and
 * what its {@code step_changed} events announce. Entering the step the run is already at changes
 * nothing, so a change is announced once.
 */
final class CurrentStep {
    /** A step and the instant the run entered it. */
    record At(RunStep step, Instant since) {
    }

    private final Clock clock;
    private At at;

    CurrentStep(Clock clock) {
        this.clock = clock;
    }

    /** Moves the run to {@code step}; empty when it was already there (nothing to announce). */
    synchronized Optional<At> enter(RunStep step) {
        if (at != null && at.step() == step) {
            return Optional.empty();
        }
        at = new At(step, clock.instant());
        return Optional.of(at);
    }

    /** Moves the run from {@code from} to {@code to} only if it is still at {@code from} (a wait that ended). */
    synchronized Optional<At> leave(RunStep from, RunStep to) {
        return at != null && at.step() == from ? enter(to) : Optional.empty();
    }

    /** Where the run is; null before its first step. */
    synchronized At now() {
        return at;
    }
}
