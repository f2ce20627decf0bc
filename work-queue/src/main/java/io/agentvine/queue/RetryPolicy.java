package io.agentvine.queue;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter for retryable failures: attempt n waits
 * {@code min(max, base * 2^(n-1))}, reduced by up to {@code jitter} of itself at random so that
 * orders that failed together do not come back together.
 */
public record RetryPolicy(Duration base, Duration max, double jitter) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofSeconds(10), Duration.ofMinutes(10), 0.5);

    public RetryPolicy {
        if (base == null || base.isNegative() || max == null || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("retry backoff needs 0 <= base <= max, was " + base + " / " + max);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("retry jitter must be within [0, 1], was " + jitter);
        }
    }

    /** Delay before attempt {@code failedAttempts + 1}. */
    public Duration delayAfter(int failedAttempts, RandomGenerator random) {
        int shift = Math.min(Math.max(failedAttempts - 1, 0), 30);
        long ms = Math.min(max.toMillis(), base.toMillis() << shift);
        if (ms < 0) {
            ms = max.toMillis();
        }
        long reduction = (long) (ms * jitter * random.nextDouble());
        return Duration.ofMillis(ms - reduction);
    }
}
