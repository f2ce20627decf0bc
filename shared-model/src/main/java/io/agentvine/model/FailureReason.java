package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Why an attempt ended without a result. {@link #retryable()} says whether the queue may schedule
 * another attempt (it never overrides {@code max_attempts}):
 *
 * <ul>
 * <li>retryable — the cause is likely outside the task and may not happen again:
 *     {@code agent_error} (agent crash, API error), {@code timeout}, {@code stalled} (no output for
 *     too long; the queue dead-letters an order that stalls too often), {@code clone_failed},
 *     {@code push_failed}, {@code worker_lost} (the worker died under the order).</li>
 * <li>not retryable — another identical attempt would fail the same way or must not run:
 *     {@code tests_failed} and {@code budget_exceeded} (the same instructions burn the same budget;
 *     a human looks first), {@code cancelled}, {@code invalid_payload} (an order the worker cannot use:
 *     the queue dead-letters it at once), {@code needs_clarification}
 *     (waits for a human answer, not a retry), {@code rejected} (an operator rejected the change
 *     at approval: nothing was pushed), and {@code lost_lease}: the queue has already taken
 *     the order back and handed it on, so the old holder's failure must not schedule yet another
 *     attempt.</li>
 * </ul>
 */
public enum FailureReason {
    AGENT_ERROR(true),
    TESTS_FAILED(false),
    TIMEOUT(true),
    BUDGET_EXCEEDED(false),
    STALLED(true),
    CLONE_FAILED(true),
    PUSH_FAILED(true),
    CANCELLED(false),
    LOST_LEASE(false),
    NEEDS_CLARIFICATION(false),
    INVALID_PAYLOAD(false),
    WORKER_LOST(true),
    REJECTED(false);

    private final boolean retryable;

    FailureReason(boolean retryable) {
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static FailureReason fromWire(String value) {
        return Enums.parse(FailureReason.class, value, "outcome");
    }
}
