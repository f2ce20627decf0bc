package io.agentvine.queue;

import io.agentvine.model.TaskType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims for one worker, blocking while there is nothing to do. An idle claimer waits on the types'
 * wake-up markers with {@code BZPOPMIN} on its own connection, so a new order reaches it within a
 * round trip or two instead of a poll interval. It still looks again after
 * {@link QueueSettings#fallbackPoll()} (a wake-up can be lost, e.g. to a claimer that died right
 * after taking it) and when the next retry is due.
 *
 * <p>Not thread-safe: one thread claims through one claimer. {@link #close()} may be called from any
 * thread and ends a wait at once.
 */
public final class Claimer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Claimer.class);

    private final WorkQueue queue;
    private final StatefulRedisConnection<String, String> blocking;
    private final String workerId;
    private final Clock clock;
    private volatile boolean closed;
    private int next;

    Claimer(WorkQueue queue, StatefulRedisConnection<String, String> blocking, String workerId, Clock clock) {
        this.queue = queue;
        this.blocking = blocking;
        this.workerId = workerId;
        this.clock = clock;
    }

    public String workerId() {
        return workerId;
    }

    /**
     * Claims the next order of any of {@code types}, waiting up to {@code maxWait}. Types are tried
     * round-robin so that a busy type cannot starve another one; within a type priorities are strict.
     *
     * @return empty when nothing came within {@code maxWait} or the claimer was closed
     */
    public Optional<Claim> claim(List<TaskType> types, Duration maxWait) {
        if (types.isEmpty()) {
            throw new IllegalArgumentException("a claimer needs at least one task type");
        }
        String[] wakeKeys = types.stream().map(t -> queue.keys(t).wake()).toArray(String[]::new);
        Instant deadline = clock.instant().plus(maxWait);
        while (!closed) {
            Instant earliestDue = null;
            for (int i = 0; i < types.size(); i++) {
                TaskType type = types.get(Math.floorMod(next++, types.size()));
                WorkQueue.Attempt a = queue.tryClaim(type, workerId);
                if (a.claim() != null) {
                    return Optional.of(a.claim());
                }
                if (a.nextDue() != null && (earliestDue == null || a.nextDue().isBefore(earliestDue))) {
                    earliestDue = a.nextDue();
                }
            }
            Instant now = clock.instant();
            Instant until = min(deadline, now.plus(queue.fallbackPoll()));
            if (earliestDue != null) {
                until = min(until, earliestDue);
            }
            long waitMs = Duration.between(now, until).toMillis();
            if (!now.isBefore(deadline)) {
                return Optional.empty();
            }
            if (waitMs > 0 && !await(waitMs, wakeKeys)) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Blocks on the wake-up markers; false when the claimer was closed meanwhile. */
    private boolean await(long waitMs, String[] wakeKeys) {
        try {
            // BZPOPMIN takes seconds with millisecond resolution (Redis >= 6).
            blocking.sync().bzpopmin(Math.max(waitMs, 1) / 1000.0, wakeKeys);
            return !closed;
        } catch (RuntimeException e) {
            if (closed) {
                return false;
            }
            throw e;
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            blocking.close();
        } catch (RuntimeException e) {
            log.debug("closing claimer connection of {}: {}", workerId, e.toString());
        }
    }
}
