package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What happened to a work order on a worker; see {@link LifecycleEvent}. */
public enum LifecycleEventType {
    STARTED, PROGRESS, COMPLETED, FAILED, TOKEN_USAGE, RELEASED, AWAITING_APPROVAL, CANCELLED,
    /** The run entered another {@link RunStep} (in the event's {@code step}); once per change. */
    STEP_CHANGED,
    /** The run parked while a human decides: its work saved, its slot free; {@code result.parked} says where. */
    PARKED;

    /** The attempt is over on this worker: no further event for it follows. */
    public boolean endsAttempt() {
        return this == COMPLETED || this == FAILED || this == RELEASED || this == CANCELLED || this == PARKED;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static LifecycleEventType fromWire(String value) {
        return Enums.parse(LifecycleEventType.class, value, "type");
    }
}
