package io.agentvine.controller.tasks;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One type's queue as {@code GET /api/v1/queue/{type}} shows it: counts, then a page (the same
 * {@code offset} and {@code limit}) of each of its lists — the waiting orders in the order they will run
 * (levels high → default → low, first in first out inside a level), the delayed ones (soonest retry first)
 * and the dead-lettered ones (most recent first). Titles come from the database; a title is null for an
 * order whose task the database does not know. {@code paused}: an operator paused the type;
 * {@code budgetPaused}: a fleet or type budget cap is reached (claims wait for either).
 */
public record QueueView(String type, boolean paused, boolean budgetPaused, long inFlight, Map<String, Long> depth, int offset, int limit,
                        Section<Waiting> waiting, Section<Delayed> delayed, Section<Dead> dead) {

    /** A page of one list: {@code total} orders in it, {@code orders} from {@code offset}. */
    public record Section<T>(long total, List<T> orders) {
    }

    /**
     * A waiting order.
     *
     * @param position      its place in the type's run order (0 runs next)
     * @param levelPosition its place in its level (0 runs next of its level; what a move changes)
     * @param blocked       why claims pass it over now: branch_held, repository_limit or repository_paused (README
     *                      "Repository locks"); null when it may run
     */
    public record Waiting(String taskId, String title, String priority, String level, long position, long levelPosition,
                          Instant enqueuedAt, int attempts, String blocked) {
    }

    /** An order waiting out a retry backoff: when it runs again and why its last attempt failed. */
    public record Delayed(String taskId, String title, String priority, String level, Instant retryAt, int attempts,
                          int maxAttempts, String reason) {
    }

    /** A dead-lettered order: why and when. */
    public record Dead(String taskId, String title, String priority, String level, Instant deadAt, int attempts,
                       String reason) {
    }
}
