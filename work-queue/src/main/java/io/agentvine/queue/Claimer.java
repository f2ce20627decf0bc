package io.agentvine.queue;

import io.agentvine.model.TaskType;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims for one worker, blocking while there is nothing to do. An idle claimer waits on the types'
 * wake-up markers with {@code BZPOPMIN} on its own connection, so a new order reaches it within a
 * round trip or two instead of a poll interval: when a marker wakes it, the claim of the woken type goes out
 * on that connection from its I/O thread as the wake-up arrives, so the waiting thread is woken once,
 * with the order (not once for the wake-up and again for the claim). It still looks again after
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
    private final RedisAsyncCommands<String, String> commands;
    private final String workerId;
    private final Clock clock;
    private volatile boolean closed;
    private int next;

    Claimer(WorkQueue queue, StatefulRedisConnection<String, String> blocking, String workerId, Clock clock) {
        this.queue = queue;
        this.blocking = blocking;
        this.commands = blocking.async();
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
            if (waitMs > 0) {
                Woken w = await(waitMs, wakeKeys, types);
                Claim c = w == null ? null : queue.readClaim(w.type(), workerId, w.reply());
                if (c != null) {
                    return Optional.of(c); // even when closed meanwhile: the caller hands it back (as with any claim)
                }
                if (closed) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** A wake-up and the reply of the claim it triggered. */
    private record Woken(TaskType type, List<Object> reply) {
    }

    /**
     * Blocks on the wake-up markers. When one wakes it, the claim of its type is sent from the connection's
     * I/O thread, before this thread is woken; null when the wait ended without a wake-up (timed out, or the
     * claimer was closed).
     */
    private Woken await(long waitMs, String[] wakeKeys, List<TaskType> types) {
        // BZPOPMIN takes seconds with millisecond resolution (Redis >= 6).
        RedisFuture<KeyValue<String, ScoredValue<String>>> wait = commands.bzpopmin(Math.max(waitMs, 1) / 1000.0, wakeKeys);
        CompletableFuture<Woken> woken = wait.thenCompose(kv -> claimWoken(kv, wakeKeys, types)).toCompletableFuture();
        try {
            return woken.get(waitMs + blocking.getTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            wait.cancel(true);
            throw new RedisCommandInterruptedException(e);
        } catch (TimeoutException e) {
            wait.cancel(true);
            if (closed) {
                return null;
            }
            throw new RedisCommandTimeoutException("no reply to the claimer's wait within " + blocking.getTimeout());
        } catch (ExecutionException e) {
            if (closed) {
                return null;
            }
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause() : e.getCause();
            throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
        }
    }

    /** Runs on the connection's I/O thread: claims the type whose marker woke the claimer, on this connection. */
    private CompletionStage<Woken> claimWoken(KeyValue<String, ScoredValue<String>> kv, String[] wakeKeys,
                                              List<TaskType> types) {
        if (kv == null || !kv.hasValue() || closed) {
            return CompletableFuture.completedFuture(null);
        }
        for (int i = 0; i < wakeKeys.length; i++) {
            if (wakeKeys[i].equals(kv.getKey())) {
                TaskType type = types.get(i);
                return queue.sendClaim(commands, type, workerId).thenApply(r -> new Woken(type, r));
            }
        }
        return CompletableFuture.completedFuture(null);
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
