package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What a worker may deliver without a human: {@code autonomous} pushes its work branch,
 * {@code supervised} pushes and opens a pull request, {@code human_required} pushes nothing until an
 * operator approves.
 */
public enum PermissionLevel {
    AUTONOMOUS, SUPERVISED, HUMAN_REQUIRED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static PermissionLevel fromWire(String value) {
        return Enums.parse(PermissionLevel.class, value, "permission_level");
    }
}
