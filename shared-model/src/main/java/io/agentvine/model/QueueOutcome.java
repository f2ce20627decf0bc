package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The queue's verdict on a failed attempt: what became of the order in Redis. A worker reports it on
 * its {@code failed} or {@code cancelled} {@link LifecycleEvent} so the controller knows whether the
 * task will run again.
 */
public enum QueueOutcome {
    /** Back in its queue after a backoff: attempts are left. */
    RETRY_SCHEDULED,
    /** A final, expected failure (tests failed, budget exceeded): not retried. */
    FAILED,
    /** Dead-lettered: out of attempts, or the order itself is unusable. */
    DEAD,
    /** An operator's cancel won. */
    CANCELLED,
    /** The holder had lost the order (its lease lapsed and it was recovered): the queue did not change. */
    LOST;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static QueueOutcome fromWire(String value) {
        return Enums.parse(QueueOutcome.class, value, "queue_outcome");
    }
}
