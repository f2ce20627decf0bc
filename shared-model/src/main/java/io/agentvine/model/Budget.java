package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Hard limits for one agent run. A null limit means "no limit of this kind" except the timeout,
 * which always has a value (the worker's default when the task gives none).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Budget(Integer maxTurns, Double maxCostUsd, Integer timeoutSeconds) {
    public static final int DEFAULT_TIMEOUT_SECONDS = 3600;
    public static final int MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;

    public Budget {
        if (maxTurns != null) {
            Check.positive(maxTurns, "budget.max_turns");
        }
        if (maxCostUsd != null && (maxCostUsd.isNaN() || maxCostUsd <= 0 || maxCostUsd.isInfinite())) {
            throw new InvalidMessageException("budget.max_cost_usd", "must be a positive amount, was " + maxCostUsd);
        }
        if (timeoutSeconds == null) {
            timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
        }
        Check.positive(timeoutSeconds, "budget.timeout_seconds");
        if (timeoutSeconds > MAX_TIMEOUT_SECONDS) {
            throw new InvalidMessageException("budget.timeout_seconds",
                    "must be at most " + MAX_TIMEOUT_SECONDS + " (7 days), was " + timeoutSeconds);
        }
    }

    public static Budget defaults() {
        return new Budget(null, null, DEFAULT_TIMEOUT_SECONDS);
    }
}
