package io.agentvine.loop;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: failure n waits a random time in
 * {@code [0, min(max, base * 2^(n-1))]}, so a fleet that lost its controller (or its Redis, or its
 * database) does not come back in step. {@link Loop} backs off with it after a failed iteration.
 */
public record Backoff(Duration base, Duration max) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

    public Backoff {
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < base <= max");
        }
    }

    public Duration delay(int failures, RandomGenerator random) {
        int shift = Math.min(Math.max(failures - 1, 0), 30);
        long cap = Math.min(max.toMillis(), base.toMillis() << shift);
        return Duration.ofMillis((long) (random.nextDouble() * cap));
    }
}
