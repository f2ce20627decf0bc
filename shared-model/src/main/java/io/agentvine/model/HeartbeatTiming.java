package io.agentvine.model;

/**
 * How often a worker beats and how long the controller waits before declaring it lost. The
 * controller sends both in {@link RegistrationReply} and may change them in any
 * {@link HeartbeatReply}; a worker always uses the latest values it received.
 */
public final class HeartbeatTiming {
    public static final int DEFAULT_INTERVAL_SECONDS = 10;
    public static final int MAX_INTERVAL_SECONDS = 3600;
    /** A missing lease is this many intervals: one late or lost beat does not cost a worker its orders. */
    public static final int DEFAULT_LEASE_INTERVALS = 3;
    public static final int MAX_LEASE_SECONDS = 24 * 3600;

    private HeartbeatTiming() {
    }

    static int interval(Integer seconds) {
        return Check.between(seconds == null ? DEFAULT_INTERVAL_SECONDS : seconds,
                1, MAX_INTERVAL_SECONDS, "heartbeat_interval_seconds");
    }

    /** The lease must outlast an interval, or every worker would expire between two beats. */
    static int lease(Integer seconds, int interval) {
        int lease = Check.between(seconds == null ? DEFAULT_LEASE_INTERVALS * interval : seconds,
                1, MAX_LEASE_SECONDS, "lease_seconds");
        if (lease <= interval) {
            throw new InvalidMessageException("lease_seconds",
                    "must be longer than heartbeat_interval_seconds (" + interval + "), was " + lease);
        }
        return lease;
    }
}
