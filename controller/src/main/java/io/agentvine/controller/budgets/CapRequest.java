package io.agentvine.controller.budgets;

import io.agentvine.model.InvalidMessageException;
import io.micronaut.core.annotation.Nullable;

/**
 * The body of {@code PUT /api/v1/budgets/{scope}/{key}}: the scope's new cap in USD, in tokens, or both (a unit left
 * out keeps the configured cap of that unit).
 */
public record CapRequest(@Nullable Double usd, @Nullable Long tokens) {
    public CapRequest {
        if (usd == null && tokens == null) {
            throw new InvalidMessageException("usd", "give usd, tokens or both");
        }
        if (usd != null && (usd.isNaN() || usd.isInfinite() || usd <= 0)) {
            throw new InvalidMessageException("usd", "must be a finite number above 0, was " + usd);
        }
        if (tokens != null && tokens <= 0) {
            throw new InvalidMessageException("tokens", "must be above 0, was " + tokens);
        }
    }

    public Cap cap() {
        return new Cap(usd, tokens);
    }
}
