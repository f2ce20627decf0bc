package io.agentvine.worker.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The {@code --once} worker's rule (see {@link io.agentvine.worker.config.RunOnce}): its first claim
 * turns it to draining, so it claims nothing more and is drained once that run ended; with no claim
 * by {@code idleExit} after it opened its session, it drains at once.
 */
final class OnceMode {
    private final Clock clock;
    private final Duration idleExit;
    private final Instant since;

    OnceMode(Clock clock, Duration idleExit) {
        this.clock = clock;
        this.idleExit = idleExit;
        this.since = clock.instant();
    }

    boolean idleTooLong() {
        return !clock.instant().isBefore(since.plus(idleExit));
    }

    Duration idleExit() {
        return idleExit;
    }
}
