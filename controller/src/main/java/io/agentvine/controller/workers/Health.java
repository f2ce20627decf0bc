package io.agentvine.controller.workers;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * A worker's health from its heartbeats: healthy while beats arrive; degraded after two missed
 * intervals; stale past the configured threshold (default 300 s) — its orders are then recovered;
 * offline once deregistered (or stale and recovered).
 */
public enum Health {
    HEALTHY, DEGRADED, STALE, OFFLINE;

    public static Health of(Instant lastHeartbeat, Instant deregisteredAt, Instant now, Duration interval, Duration staleAfter) {
        if (deregisteredAt != null) {
            return OFFLINE;
        }
        Duration silent = Duration.between(lastHeartbeat, now);
        if (silent.compareTo(staleAfter) >= 0) {
            return STALE;
        }
        if (silent.compareTo(interval.multipliedBy(2)) > 0) {
            return DEGRADED;
        }
        return HEALTHY;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
