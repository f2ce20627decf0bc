package io.agentvine.controller.budgets;

import io.micronaut.core.annotation.Introspected;

/** What a scope spent: USD and tokens (input and output). */
@Introspected
public record Spend(double usd, long tokens) {
    public static final Spend ZERO = new Spend(0, 0);

    public Spend plus(Spend other) {
        return new Spend(usd + other.usd, tokens + other.tokens);
    }
}
