package io.agentvine.controller.logs;

import io.agentvine.controller.config.ControllerSettings;
import io.agentvine.loop.Backoff;
import io.agentvine.loop.Loop;
import io.agentvine.queue.AttemptLogStream;
import io.agentvine.queue.redis.RedisEndpoint;
import io.lettuce.core.XAddArgs;
import io.agentvine.queue.redis.RedisLink;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
 * one thread, one connection and one blocked command, not fifty.
 *
 * <p>A new follower rings a doorbell: an entry in a stream of this tail's own ({@code <namespace>:log-tail:<uuid>},
 * one entry kept, expiring a day after the last ring) that every read includes after the last ring it saw. So the
 * read in progress returns at once — or, when the ring came before the read reached Redis, the read does not block
 * at all — and the next round includes the follower: its backlog never waits for a read's timeout, whatever the
 * interleaving. (A {@code CLIENT UNBLOCK} from another connection, the earlier way, did nothing when it arrived
 * before the read, or when the follower came after the round had taken its cursors but before it marked itself
 * reading: the backlog then waited for the block to end.) Each round hands entries only to the followers whose
 * cursors it read with; one added meanwhile is served by the next round from its own cursor.
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

    private final RedisEndpoint client;
    private final Duration block;
    private final String doorbell;
    private final Set<Follower> followers = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition someone = lock.newCondition();
    private final Loop loop;
    private final Object connections = new Object();
    private RedisLink blocking; // the loop's
    private RedisLink control; // for the doorbell
    private volatile String lastRing = StreamIds.ZERO; // the doorbell's last entry the loop has seen
    private volatile boolean closed;

    @Inject
    public LogTail(RedisEndpoint client, ControllerSettings settings) {
        this(client, settings.getQueueNamespace(), BLOCK);
    }

    /** @param block how long one read waits for an entry (tests make it long, to see that nothing waits for it) */
    LogTail(RedisEndpoint client, String namespace, Duration block) {
        this.client = client;
        this.block = block;
        this.doorbell = namespace + ":log-tail:" + UUID.randomUUID();
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

    /** Wakes the loop: one waiting for a first follower at once, one reading at once (the doorbell). */
    private void wake() {
        lock.lock();
        try {
            someone.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            var sync = control().sync();
            sync.xadd(doorbell, XAddArgs.Builder.maxlen(1), "ring", "1");
            sync.expire(doorbell, Duration.ofDays(1).toSeconds());
        } catch (RuntimeException e) {
            log.debug("could not ring the log tail's doorbell: {}", e.toString()); // it reads again within its block
        }
    }

    /** One round: waits for a follower, reads what is new for all of them (blocking up to the block), hands it out. */
    Duration runOnce() throws InterruptedException {
        if (followers.isEmpty()) {
            lock.lock();
            try {
                if (followers.isEmpty() && !closed) {
                    someone.await(block.toMillis(), TimeUnit.MILLISECONDS);
                }
            } finally {
                lock.unlock();
            }
            return Duration.ZERO;
        }
        String rang = lastRing; // read before the followers: a follower added after this rings after it
        List<Follower> round = List.copyOf(followers);
        Map<String, String> cursors = new LinkedHashMap<>();
        cursors.put(doorbell, rang);
        for (Follower f : round) {
            cursors.merge(f.key, f.cursor, StreamIds::min);
        }
        Map<String, List<AttemptLogStream.Entry>> got = new AttemptLogStream(blocking()).read(cursors, block, COUNT);
        List<AttemptLogStream.Entry> rings = got.getOrDefault(doorbell, List.of());
        if (!rings.isEmpty()) {
            lastRing = rings.get(rings.size() - 1).id();
        }
        for (Follower f : round) {
            if (followers.contains(f)) {
                deliver(f, got.getOrDefault(f.key, List.of()));
            }
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

    private RedisLink blocking() {
        synchronized (connections) {
            if (blocking == null) {
                blocking = client.connect();
            }
            return blocking;
        }
    }

    private RedisLink control() {
        synchronized (connections) {
            if (control == null) {
                control = client.connect();
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
