package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A free question for a human, or a request to approve a change before it is pushed. */
public enum ClarificationKind {
    QUESTION, APPROVAL;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ClarificationKind fromWire(String value) {
        return Enums.parse(ClarificationKind.class, value, "kind");
    }
}
