package io.agentvine.queue;

import io.agentvine.model.TaskType;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScoredValue;
import io.agentvine.queue.redis.FailoverRetry;
import io.agentvine.queue.redis.RedisEndpoint;
import io.agentvine.queue.redis.RedisLink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>On a Redis Cluster the types' keys live in different slots, and one blocking command can only wait on
 * keys of one slot: the claimer keeps one blocking connection per slot its types need, and waits on all of
 * them at once. The first wake-up that brings an order ends the wait; the other waits are abandoned: a
 * marker one of them pops later is put back for another claimer instead of being claimed, and a wait still
 * pending when the next {@link #claim} starts is taken up again rather than sent twice. A failover (connection
 * lost, {@code -UNBLOCKED}, {@code READONLY}, {@code -LOADING}) ends a wait early; the claimer looks again at once.
 *
 * <p>Not thread-safe: one thread claims through one claimer. {@link #close()} may be called from any
 * thread and ends a wait at once.
 */
public final class Claimer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Claimer.class);
    private static final int WAITING = 0;
    private static final int CLAIMING = 1;
    private static final int ABANDONED = 2;
    private static final int DONE = 3;

    private final WorkQueue queue;
    private final RedisEndpoint endpoint;
    private final String workerId;
    private final Clock clock;
    /** One blocking connection per slot group (one in all on a single master), made when first needed. */
    private final Map<Integer, Group> groups = new LinkedHashMap<>();
    private volatile boolean closed;
    private int next;

    Claimer(WorkQueue queue, RedisEndpoint endpoint, String workerId, Clock clock) {
        this.queue = queue;
        this.endpoint = endpoint;
        this.workerId = workerId;
        this.clock = clock;
    }

    public String workerId() {
        return workerId;
    }

    /** The blocking connections this claimer holds (one per Cluster slot its types need). */
    int connectionCount() {
        synchronized (groups) {
            return groups.size();
        }
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
        Map<Integer, List<TaskType>> bySlot = new LinkedHashMap<>();
        for (TaskType t : types) {
            bySlot.computeIfAbsent(endpoint.group(queue.keys(t).wake()), g -> new ArrayList<>()).add(t);
        }
        Instant deadline = clock.instant().plus(maxWait);
        while (!closed) {
            Instant earliestDue = null;
            try {
                for (int i = 0; i < types.size(); i++) {
                    TaskType type = types.get(Math.floorMod(next++, types.size()));
                    WorkQueue.Attempt a = queue.tryClaim(type, workerId);
                    if (a.claim() != null) {
                        abandonWaits();
                        return Optional.of(a.claim());
                    }
                    if (a.nextDue() != null && (earliestDue == null || a.nextDue().isBefore(earliestDue))) {
                        earliestDue = a.nextDue();
                    }
                }
            } catch (RuntimeException e) {
                if (closed) {
                    return Optional.empty();
                }
                throw e; // the queue retried through its budget already
            }
            Instant now = clock.instant();
            Instant until = min(deadline, now.plus(queue.fallbackPoll()));
            if (earliestDue != null) {
                until = min(until, earliestDue);
            }
            long waitMs = Duration.between(now, until).toMillis();
            if (!now.isBefore(deadline)) {
                abandonWaits();
                return Optional.empty();
            }
            if (waitMs > 0) {
                Claim c;
                try {
                    c = await(waitMs, bySlot);
                } catch (RuntimeException e) {
                    if (closed) {
                        return Optional.empty();
                    }
                    if (!FailoverRetry.isTransient(e)) {
                        throw e;
                    }
                    // A failover ended the wait (connection lost, -UNBLOCKED, READONLY): look again; the claims above
                    // retry until the new master answers.
                    log.info("claimer {}: wait ended by {}; looking again", workerId, e.toString());
                    pause();
                    continue;
                }
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

    /** A wake-up and the claim it triggered; {@code claim} null when none was taken (or it is left to the caller). */
    private record Woken(TaskType type, Claim claim) {
    }

    /** One slot's blocking connection and the wait in progress on it, if any. */
    private final class Group {
        final RedisLink link;
        Wait pending;

        Group(RedisLink link) {
            this.link = link;
        }
    }

    /** One BZPOPMIN on a group's connection, with the claim its wake-up triggers. */
    private final class Wait {
        final AtomicInteger state = new AtomicInteger(WAITING);
        final CompletableFuture<Woken> result;
        final Group group;
        final List<TaskType> types;

        Wait(Group g, long waitMs, List<TaskType> types) {
            this.group = g;
            this.types = List.copyOf(types);
            String[] wakeKeys = types.stream().map(t -> queue.keys(t).wake()).toArray(String[]::new);
            // BZPOPMIN takes seconds with millisecond resolution (Redis >= 6).
            RedisFuture<KeyValue<String, ScoredValue<String>>> wait = g.link.async().bzpopmin(Math.max(waitMs, 1) / 1000.0, wakeKeys);
            result = wait.thenCompose(kv -> claimWoken(g, kv, wakeKeys, types)).toCompletableFuture();
        }

        /**
         * Runs on the connection's I/O thread: claims the type whose marker woke the claimer, on this connection —
         * unless the claimer stopped waiting on it: the marker then goes back for another claimer.
         */
        private CompletionStage<Woken> claimWoken(Group g, KeyValue<String, ScoredValue<String>> kv, String[] wakeKeys,
                                                  List<TaskType> types) {
            if (kv == null || !kv.hasValue()) {
                state.set(DONE);
                return CompletableFuture.completedFuture(null);
            }
            TaskType type = null;
            for (int i = 0; i < wakeKeys.length; i++) {
                if (wakeKeys[i].equals(kv.getKey())) {
                    type = types.get(i);
                }
            }
            if (type == null) {
                state.set(DONE);
                return CompletableFuture.completedFuture(null);
            }
            if (closed || !state.compareAndSet(WAITING, CLAIMING)) {
                state.set(DONE);
                g.link.async().zadd(kv.getKey(), 0, "1"); // not ours to use: wake the next idle claimer
                return CompletableFuture.completedFuture(null);
            }
            TaskType t = type;
            if (endpoint.options().minReplicas() > 0) {
                // The claim must wait for replicas (WAIT) and be sent again with its request id if the master dies
                // meanwhile: the claimer's own thread does that (WorkQueue.tryClaim), not the I/O thread.
                state.set(DONE);
                return CompletableFuture.completedFuture(new Woken(t, null));
            }
            return queue.sendClaim(g.link.async(), t, workerId)
                    .thenApply(r -> new Woken(t, queue.readClaim(t, workerId, r)))
                    .whenComplete((w, e) -> state.set(DONE));
        }
    }

    private Group group(int slot) {
        synchronized (groups) {
            if (closed) {
                throw new IllegalStateException("the claimer of " + workerId + " is closed");
            }
            return groups.computeIfAbsent(slot, s -> new Group(endpoint.connect()));
        }
    }

    /**
     * Blocks on the wake-up markers, one wait per slot group. When one wakes it, the claim of its type is sent from
     * the connection's I/O thread, before this thread is woken; null when the wait ended without an order (timed
     * out, or the claimer was closed).
     */
    private Claim await(long waitMs, Map<Integer, List<TaskType>> bySlot) {
        List<Wait> waits = new ArrayList<>(bySlot.size());
        for (Map.Entry<Integer, List<TaskType>> e : bySlot.entrySet()) {
            Group g = group(e.getKey());
            Wait w = g.pending;
            // Take up the pending wait when it is for the same types; else (none, ended meanwhile, other types) wait anew:
            // an abandoned wait hands back what wakes it (a new wait on its connection starts when the old one ends).
            if (w == null || !w.types.equals(e.getValue()) || !w.state.compareAndSet(ABANDONED, WAITING)) {
                w = new Wait(g, waitMs, e.getValue());
                g.pending = w;
            }
            waits.add(w);
        }
        long timeoutMs = waitMs + endpoint.options().commandTimeout().toMillis();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try {
            List<Wait> open = new ArrayList<>(waits);
            while (!open.isEmpty()) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException();
                }
                CompletableFuture.anyOf(open.stream().map(w -> w.result).toArray(CompletableFuture[]::new))
                        .get(left, TimeUnit.NANOSECONDS);
                for (Wait w : List.copyOf(open)) {
                    if (!w.result.isDone()) {
                        continue;
                    }
                    open.remove(w);
                    Woken woken = w.result.join();
                    if (woken != null) {
                        synchronized (groups) {
                            w.group.pending = null; // consumed: not to be handed back
                        }
                        abandonWaits();
                        return woken.claim(); // null: woken without an order; the caller looks at every type again
                    }
                }
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandonWaits();
            throw new RedisCommandInterruptedException(e);
        } catch (TimeoutException e) {
            abandonWaits();
            if (closed) {
                return null;
            }
            throw new RedisCommandTimeoutException("no reply to the claimer's wait within " + timeoutMs + " ms");
        } catch (ExecutionException | CompletionException e) {
            abandonWaits();
            if (closed) {
                return null;
            }
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException c && c.getCause() != null) {
                cause = c.getCause();
            }
            throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
        }
    }

    /**
     * Stops using the waits still pending: a marker they pop goes back. One already claiming is waited for (a round
     * trip) and its order, if it got one, handed back at once: this claimer is about to be busy and would hold it
     * without extending its lease.
     */
    private void abandonWaits() {
        List<Wait> claiming = new ArrayList<>();
        synchronized (groups) {
            for (Group g : groups.values()) {
                Wait w = g.pending;
                if (w == null || w.result.isDone() && w.state.get() != CLAIMING) {
                    if (w != null && w.result.isDone()) {
                        handBack(w);
                        g.pending = null;
                    }
                    continue;
                }
                if (!w.state.compareAndSet(WAITING, ABANDONED) && w.state.get() != ABANDONED) {
                    claiming.add(w);
                    g.pending = null;
                }
            }
        }
        for (Wait w : claiming) {
            try {
                w.result.get(endpoint.options().commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                log.debug("claimer {}: an abandoned wait ended with {}", workerId, e.toString());
            }
            handBack(w);
        }
    }

    /** Releases what a finished wait claimed, if it claimed anything nobody took. */
    private void handBack(Wait w) {
        Woken woken = w.result.isCompletedExceptionally() ? null : w.result.getNow(null);
        if (woken != null && woken.claim() != null && woken.claim().order() != null) {
            try {
                queue.release(woken.claim());
            } catch (RuntimeException e) {
                log.warn("claimer {}: could not hand back {} (its lease will lapse): {}", workerId, woken.claim().id(), e.toString());
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50); // back-off after a failover ended the wait, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
        List<Group> all;
        synchronized (groups) {
            all = List.copyOf(groups.values());
        }
        for (Group g : all) {
            try {
                g.link.close();
            } catch (RuntimeException e) {
                log.debug("closing claimer connection of {}: {}", workerId, e.toString());
            }
        }
    }
}
