package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The three Redis priority lists of a worker type, claimed strictly in this order. */
public enum QueueLevel {
    HIGH, DEFAULT, LOW;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static QueueLevel fromWire(String value) {
        return Enums.parse(QueueLevel.class, value, "queue_level");
    }
}
