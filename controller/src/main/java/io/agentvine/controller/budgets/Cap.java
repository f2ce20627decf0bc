package io.agentvine.controller.budgets;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

/** A budget's cap: at most {@code usd} and at most {@code tokens}; a null one does not cap. */
@Introspected
public record Cap(@Nullable Double usd, @Nullable Long tokens) {
    public static final Cap NONE = new Cap(null, null);

    public Cap {
        usd = usd == null || usd <= 0 ? null : usd;
        tokens = tokens == null || tokens <= 0 ? null : tokens;
    }

    public boolean none() {
        return usd == null && tokens == null;
    }

    /** This cap with {@code other}'s units where it has none. */
    public Cap or(Cap other) {
        return new Cap(usd != null ? usd : other.usd, tokens != null ? tokens : other.tokens);
    }

    /** How much of the cap {@code spend} used: the larger of the two units' shares (0 when nothing caps). */
    public double used(Spend spend) {
        double u = usd == null ? 0 : spend.usd() / usd;
        double t = tokens == null ? 0 : (double) spend.tokens() / tokens;
        return Math.max(u, t);
    }
}
