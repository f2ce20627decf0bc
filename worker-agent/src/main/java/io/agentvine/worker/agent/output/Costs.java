package io.agentvine.worker.agent.output;

/** Arithmetic on costs where null means "unknown". */
final class Costs {
    private Costs() {
    }

    /**
     * Known parts add up; an unknown part is left out rather than making the whole unknown: a lower
     * bound still lets a budget stop a run, "unknown" would not. Null only when no part is known.
     */
    static Double plus(Double a, Double b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : a + b;
    }

    /** A cost as a CLI printed it, or null when it is not a usable amount. */
    static Double valid(Double cost) {
        return cost == null || cost.isNaN() || cost.isInfinite() || cost < 0 ? null : cost;
    }
}
