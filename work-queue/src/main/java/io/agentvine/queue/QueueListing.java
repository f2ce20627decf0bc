package io.agentvine.queue;

import io.agentvine.model.Priority;
import io.agentvine.model.QueueLevel;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Pages of what a type's queue holds, for operators (the dashboard's queue view, {@code GET /api/v1/queue/{type}}):
 * the waiting orders in claim order, the delayed ones with their retry time and last failure, the dead-lettered
 * ones with their reason and time. Each page is one consistent snapshot ({@code list.lua}); fields an order's
 * hash lacks are null.
 */
public final class QueueListing {
    private QueueListing() {
    }

    /**
     * A waiting order.
     *
     * @param position      its place in the type's claim order (0 runs next: high, then default, then low)
     * @param levelPosition its place in its level (what a move changes)
     * @param blocked       why claims pass it over now (README "Repository locks"): {@code branch_held},
     *                      {@code repository_limit} or {@code repository_paused}; null when it may run
     */
    public record Waiting(String id, QueueLevel level, long position, long levelPosition, Priority priority,
                          Instant enqueuedAt, int attempts, String blocked) {
    }

    /** An order waiting out a retry backoff: due at {@code retryAt}, after {@code attempts} failed of {@code maxAttempts}. */
    public record Delayed(String id, QueueLevel level, Priority priority, Instant retryAt, int attempts, int maxAttempts,
                          String lastError, Instant enqueuedAt) {
    }

    /** A dead-lettered order: why ({@code reason}, the queue's last error) and when. */
    public record Dead(String id, QueueLevel level, Priority priority, Instant deadAt, int attempts, String reason,
                       Instant enqueuedAt) {
    }

    /** One page of waiting orders; {@code depth} is each level's length, {@code total} their sum. */
    public record WaitingPage(long total, Map<QueueLevel, Long> depth, List<Waiting> orders) {
    }

    /** One page of a set (delayed or dead) of {@code total} orders. */
    public record Page<T>(long total, List<T> orders) {
    }
}
