package io.agentvine.queue;

import java.time.Duration;

/**
 * Tunables of the work queue. Defaults suit agent runs of minutes to an hour: a holder extends its
 * lease every {@code lease / 3}; a holder that stops extending loses the order one lease later.
 *
 * @param namespace       first part of every key's hash tag; lets tests and tenants share a server
 * @param lease           how long a claim lives without an extension
 * @param maxStalls       recoveries (expired lease, dead worker) an order survives; one more and it is dead-lettered
 * @param idempotencyTtl  how long an idempotency key maps to its order
 * @param finishedTtl     how long failed and cancelled orders stay readable (completed ones are deleted at
 *                        once, dead ones stay until removed or retried)
 * @param fallbackPoll    longest an idle claimer blocks before it looks again, in case a wake-up was lost
 * @param eventsMaxLen    approximate length the per-type events stream is trimmed to (0: no events)
 * @param batch           how many due retries or expired leases one script call moves at most
 */
public record QueueSettings(
        String namespace,
        Duration lease,
        int maxStalls,
        Duration idempotencyTtl,
        Duration finishedTtl,
        RetryPolicy retry,
        Duration fallbackPoll,
        int eventsMaxLen,
        int batch) {

    public static final String DEFAULT_NAMESPACE = "wo";
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_STALLS = 3;
    public static final Duration DEFAULT_IDEMPOTENCY_TTL = Duration.ofHours(24);
    public static final Duration DEFAULT_FINISHED_TTL = Duration.ofDays(1);
    public static final Duration DEFAULT_FALLBACK_POLL = Duration.ofSeconds(5);
    public static final int DEFAULT_EVENTS_MAX_LEN = 10_000;
    public static final int DEFAULT_BATCH = 100;

    public QueueSettings {
        new QueueKeys(namespace, io.agentvine.model.TaskType.FEATURE); // validates the namespace
        requirePositive(lease, "lease");
        requirePositive(idempotencyTtl, "idempotency_ttl");
        requirePositive(finishedTtl, "finished_ttl");
        requirePositive(fallbackPoll, "fallback_poll");
        if (maxStalls < 0) {
            throw new IllegalArgumentException("max_stalls must not be negative, was " + maxStalls);
        }
        if (retry == null) {
            throw new IllegalArgumentException("retry policy is required");
        }
        if (eventsMaxLen < 0 || batch <= 0) {
            throw new IllegalArgumentException("events_max_len must be >= 0 and batch > 0");
        }
    }

    public static QueueSettings defaults() {
        return new QueueSettings(DEFAULT_NAMESPACE, DEFAULT_LEASE, DEFAULT_MAX_STALLS, DEFAULT_IDEMPOTENCY_TTL,
                DEFAULT_FINISHED_TTL, RetryPolicy.DEFAULT, DEFAULT_FALLBACK_POLL, DEFAULT_EVENTS_MAX_LEN, DEFAULT_BATCH);
    }

    public QueueSettings withNamespace(String v) {
        return new QueueSettings(v, lease, maxStalls, idempotencyTtl, finishedTtl, retry, fallbackPoll, eventsMaxLen, batch);
    }

    public QueueSettings withLease(Duration v) {
        return new QueueSettings(namespace, v, maxStalls, idempotencyTtl, finishedTtl, retry, fallbackPoll, eventsMaxLen, batch);
    }

    public QueueSettings withMaxStalls(int v) {
        return new QueueSettings(namespace, lease, v, idempotencyTtl, finishedTtl, retry, fallbackPoll, eventsMaxLen, batch);
    }

    public QueueSettings withRetry(RetryPolicy v) {
        return new QueueSettings(namespace, lease, maxStalls, idempotencyTtl, finishedTtl, v, fallbackPoll, eventsMaxLen, batch);
    }

    public QueueSettings withFallbackPoll(Duration v) {
        return new QueueSettings(namespace, lease, maxStalls, idempotencyTtl, finishedTtl, retry, v, eventsMaxLen, batch);
    }

    public QueueSettings withEventsMaxLen(int v) {
        return new QueueSettings(namespace, lease, maxStalls, idempotencyTtl, finishedTtl, retry, fallbackPoll, v, batch);
    }

    public QueueKeys keys(io.agentvine.model.TaskType type) {
        return new QueueKeys(namespace, type);
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + d);
        }
    }
}
