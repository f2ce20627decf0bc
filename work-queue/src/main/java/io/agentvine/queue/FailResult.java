package io.agentvine.queue;

import io.agentvine.model.QueueOutcome;
import java.time.Instant;

/**
 * @param outcome  what became of the order
 * @param attempts failed attempts so far
 * @param retryAt  when a RETRY_SCHEDULED order comes back to its queue (null otherwise)
 */
public record FailResult(QueueOutcome outcome, int attempts, Instant retryAt) {

    /** How the holder wants a failure handled. */
    public enum Disposition {
        /** Retry after a backoff while attempts are left, then dead-letter. */
        RETRY,
        /** A final, expected outcome (tests failed, budget exceeded): state failed, no retry. */
        FAIL,
        /** Dead-letter at once: the order itself is broken (unreadable payload). */
        DEAD_LETTER
    }
}
