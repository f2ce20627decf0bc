package io.agentvine.queue.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a Redis call again when it failed the way a failover makes calls fail, until it succeeds or a budget is
 * spent: the connection was lost or timed out, the server is a replica now ({@code READONLY}), still loading its
 * data ({@code LOADING}), has no master ({@code MASTERDOWN}, {@code CLUSTERDOWN}), released a blocked command
 * ({@code UNBLOCKED}) or asks to try again ({@code TRYAGAIN}). Anything else (a script error, a wrong type) is
 * thrown at once. {@code MOVED} and {@code ASK} never reach here: Lettuce's cluster connection follows them.
 *
 * <p>A call retried this way may have run once already (the reply was lost, not the command): only calls that are
 * safe to repeat go through here; the queue's scripts are (the claim carries a request id, see claim.lua).
 */
public final class FailoverRetry {
    private static final Logger log = LoggerFactory.getLogger(FailoverRetry.class);
    private static final List<String> TRANSIENT = List.of("READONLY", "LOADING", "MASTERDOWN", "CLUSTERDOWN", "UNBLOCKED",
            "TRYAGAIN", "NOREPLICAS", "MOVED", "ASK");
    private static final long FIRST_PAUSE_MS = 20;
    private static final long MAX_PAUSE_MS = 500;

    private final Duration budget;

    public FailoverRetry(Duration budget) {
        this.budget = budget;
    }

    /**
     * Calls {@code call} with the attempt number (1, 2, …) until it returns or fails for good.
     *
     * @throws RedisException the last failure once the budget is spent, or the first one that is not transient
     */
    public <T> T call(String what, IntFunction<T> call) {
        long deadline = System.nanoTime() + budget.toNanos();
        long pause = FIRST_PAUSE_MS;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.apply(attempt);
            } catch (RuntimeException e) {
                if (!isTransient(e) || System.nanoTime() + pause * 1_000_000 - deadline > 0) {
                    throw e;
                }
                if (attempt == 1) {
                    log.info("redis {}: {}; trying again for up to {} s", what, e.toString(), budget.toSeconds());
                } else {
                    log.debug("redis {} attempt {}: {}", what, attempt, e.toString());
                }
                pause(pause);
                pause = Math.min(pause * 2, MAX_PAUSE_MS);
            }
        }
    }

    /** Whether {@code e} is how a failover, a restart or a lost connection looks to a caller. */
    public static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RedisCommandExecutionException x) {
                String m = x.getMessage() == null ? "" : x.getMessage();
                // WAIT sent to a master that has just become a replica (the client's view lags a failover by a moment)
                return TRANSIENT.stream().anyMatch(m::startsWith) || m.contains("WAIT cannot be used with replica");
            }
            // PartitionSelectorException: a Cluster slot whose master failed and whose replica is not promoted yet
            if (t instanceof RedisConnectionException || t instanceof RedisCommandTimeoutException || t instanceof IOException
                    || t instanceof io.lettuce.core.cluster.PartitionSelectorException) {
                return true;
            }
            if (t instanceof RedisException r && r.getMessage() != null
                    && (r.getMessage().contains("Connection closed") || r.getMessage().contains("Connection reset")
                    || r.getMessage().contains("Connection disconnected") || r.getMessage().contains("Currently not connected"))) {
                return true;
            }
        }
        return false;
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms); // back-off between attempts, not a wait for a condition
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new io.lettuce.core.RedisCommandInterruptedException(ie);
        }
    }
}
