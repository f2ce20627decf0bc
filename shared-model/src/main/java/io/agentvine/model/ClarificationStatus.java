package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How a clarification request ended: a human {@code answered} a question or {@code approved} /
 * {@code rejected} a change; or nobody did — {@code expired} (past {@code expires_at}) or
 * {@code orphaned} (the asking worker or its work order went away first).
 */
public enum ClarificationStatus {
    ANSWERED, EXPIRED, ORPHANED, APPROVED, REJECTED;

    /** A person decided, so the response says who and when. */
    public boolean byHuman() {
        return this == ANSWERED || this == APPROVED || this == REJECTED;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ClarificationStatus fromWire(String value) {
        return Enums.parse(ClarificationStatus.class, value, "status");
    }
}
