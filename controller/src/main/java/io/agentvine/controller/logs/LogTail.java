package io.agentvine.controller.logs;

import io.agentvine.loop.Backoff;
import io.agentvine.loop.Loop;
import io.agentvine.queue.AttemptLogStream;
import io.lettuce.core.RedisClient;
import io.lettuce.core.UnblockType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows live logs for every connected client with one thread, {@code log-tail}, and one blocking
 * Redis connection: each round is a single {@code XREAD BLOCK} over the streams someone follows (each
 * from the oldest cursor among its followers), which returns as soon as any of them gets a line; the
 * entries go to each follower past its own cursor. Fifty dashboards on twenty running attempts cost
 * one thread, one connection and one blocked command, not fifty. A new follower wakes a blocked read
 * ({@code CLIENT UNBLOCK} from the other connection), so its backlog goes out at once.
 *
 * <p>A follower ends with its stream's {@code end} entry, or — for an attempt whose worker died before
 * writing one — when {@code ended} says the attempt is over (checked every {@link #ENDED_CHECK}). Redis
 * down: the loop backs off and the followers wait; nothing is lost, they resume from their cursors.
 */
@Singleton
public class LogTail {
    private static final Logger log = LoggerFactory.getLogger(LogTail.class);
    static final Duration BLOCK = Duration.ofSeconds(1);
    static final Duration ENDED_CHECK = Duration.ofSeconds(5);
    static final int COUNT = 500;

    /** Receives a follower's entries, on the {@code log-tail} thread; must not block. */
    public interface Listener {
        void lines(List<LogLine> lines);

        /** The attempt ended; {@code endId} is the end entry's id (null when the end was learned from the database). */
        void end(String endId);
    }

    /** A follower; {@link #close()} (the client went away) stops it. */
    public final class Follower implements AutoCloseable {
        final String key;
        final Listener listener;
        final BooleanSupplier ended;
        volatile String cursor;
        long nextEndedCheck;

        private Follower(String key, String cursor, Listener listener, BooleanSupplier ended) {
            this.key = key;
            this.cursor = cursor;
            this.listener = listener;
            this.ended = ended;
        }

        @Override
        public void close() {
            followers.remove(this);
        }
    }

    private final RedisClient client;
    private final Set<Follower> followers = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition someone = lock.newCondition();
    private final Loop loop;
    private final Object connections = new Object();
    private StatefulRedisConnection<String, String> blocking; // the loop's
    private StatefulRedisConnection<String, String> control; // for CLIENT UNBLOCK
    private volatile Long blockingClientId;
    private volatile boolean reading;
    private volatile boolean closed;

    public LogTail(RedisClient client) {
        this.client = client;
        this.loop = new Loop("log-tail", new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5)), this::runOnce);
    }

    /**
     * Follows {@code key} after {@code cursor} ({@link StreamIds#ZERO}: from its first entry).
     *
     * @param ended whether the attempt is over though no end entry came (its worker died): asked now and then
     */
    public Follower follow(String key, String cursor, Listener listener, BooleanSupplier ended) {
        if (closed) {
            throw new IllegalStateException("the controller is shutting down");
        }
        loop.start();
        Follower f = new Follower(key, cursor, listener, ended);
        f.nextEndedCheck = System.nanoTime() + ENDED_CHECK.toNanos();
        followers.add(f);
        wake();
        return f;
    }

    int followerCount() {
        return followers.size();
    }

    private void wake() {
        lock.lock();
        try {
            someone.signalAll();
        } finally {
            lock.unlock();
        }
        Long id = blockingClientId;
        if (reading && id != null) {
            try {
                control().sync().clientUnblock(id, UnblockType.TIMEOUT);
            } catch (RuntimeException e) {
                log.debug("could not wake the log tail: {}", e.toString()); // it wakes by itself within BLOCK
            }
        }
    }

    /** One round: waits for a follower, reads what is new for all of them (blocking up to {@link #BLOCK}), hands it out. */
    Duration runOnce() throws InterruptedException {
        if (followers.isEmpty()) {
            lock.lock();
            try {
                if (followers.isEmpty() && !closed) {
                    someone.await(BLOCK.toMillis(), TimeUnit.MILLISECONDS);
                }
            } finally {
                lock.unlock();
            }
            return Duration.ZERO;
        }
        Map<String, String> cursors = new LinkedHashMap<>();
        for (Follower f : followers) {
            cursors.merge(f.key, f.cursor, StreamIds::min);
        }
        Map<String, List<AttemptLogStream.Entry>> got;
        AttemptLogStream stream = new AttemptLogStream(blocking());
        reading = true;
        try {
            got = stream.read(cursors, BLOCK, COUNT);
        } catch (RuntimeException e) {
            blockingClientId = null; // a reconnected connection has another id
            throw e;
        } finally {
            reading = false;
        }
        for (Follower f : followers) {
            deliver(f, got.getOrDefault(f.key, List.of()));
        }
        return Duration.ZERO;
    }

    private void deliver(Follower f, List<AttemptLogStream.Entry> entries) {
        List<LogLine> lines = new ArrayList<>();
        String cursor = f.cursor;
        AttemptLogStream.Entry end = null;
        for (AttemptLogStream.Entry e : entries) {
            if (StreamIds.compare(e.id(), cursor) <= 0) {
                continue;
            }
            if (e.isEnd()) {
                end = e;
                break;
            }
            lines.add(LogLine.of(e));
            cursor = e.id();
        }
        try {
            if (!lines.isEmpty()) {
                f.cursor = cursor;
                f.listener.lines(lines);
            }
            if (end != null) {
                f.close();
                f.listener.end(end.id());
            } else if (entries.isEmpty() && System.nanoTime() - f.nextEndedCheck > 0) {
                f.nextEndedCheck = System.nanoTime() + ENDED_CHECK.toNanos();
                if (f.ended.getAsBoolean()) {
                    f.close();
                    f.listener.end(null);
                }
            }
        } catch (RuntimeException e) {
            log.warn("a live log follower of {} failed; it is dropped", f.key, e);
            f.close();
        }
    }

    private StatefulRedisConnection<String, String> blocking() {
        synchronized (connections) {
            if (blocking == null) {
                blocking = client.connect(StringCodec.UTF8);
            }
        }
        if (blockingClientId == null) {
            blockingClientId = blocking.sync().clientId();
        }
        return blocking;
    }

    private StatefulRedisConnection<String, String> control() {
        synchronized (connections) {
            if (control == null) {
                control = client.connect(StringCodec.UTF8);
            }
            return control;
        }
    }

    /** Ends the thread and the followers' streams, closes the connections; idempotent. */
    @PreDestroy
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        wake();
        loop.close();
        followers.clear();
        synchronized (connections) {
            if (blocking != null) {
                blocking.close();
            }
            if (control != null) {
                control.close();
            }
        }
    }
}
