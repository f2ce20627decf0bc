package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Task priority P0 (most urgent) to P4. It decides the queue level and the default model tier:
 * P0/P1 → high + premium, P2 → default + standard, P3/P4 → low + budget.
 */
public enum Priority {
    P0(QueueLevel.HIGH, ModelTier.PREMIUM),
    P1(QueueLevel.HIGH, ModelTier.PREMIUM),
    P2(QueueLevel.DEFAULT, ModelTier.STANDARD),
    P3(QueueLevel.LOW, ModelTier.BUDGET),
    P4(QueueLevel.LOW, ModelTier.BUDGET);

    public static final Priority DEFAULT = P2;

    private final QueueLevel queueLevel;
    private final ModelTier tier;

    Priority(QueueLevel queueLevel, ModelTier tier) {
        this.queueLevel = queueLevel;
        this.tier = tier;
    }

    public QueueLevel queueLevel() {
        return queueLevel;
    }

    public ModelTier tier() {
        return tier;
    }

    @JsonValue
    public String wireName() {
        return name();
    }

    @JsonCreator
    public static Priority fromWire(String value) {
        return Enums.parse(Priority.class, value, "priority");
    }
}
