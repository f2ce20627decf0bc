package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Cost/capability tier of the model a task runs on (seed: premium → opus, standard → sonnet, budget → haiku). */
public enum ModelTier {
    PREMIUM, STANDARD, BUDGET;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ModelTier fromWire(String value) {
        return Enums.parse(ModelTier.class, value, "model_tier");
    }
}
