package io.agentvine.controller.lifecycle;

import io.agentvine.loop.Backoff;
import io.agentvine.loop.Loop;
import io.agentvine.model.InvalidMessageException;
import io.agentvine.model.Json;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisBusyException;
import io.agentvine.queue.redis.RedisEndpoint;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.agentvine.queue.redis.RedisLink;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one Redis stream of worker messages in the consumer group {@code controller}: reads each
 * entry's field as a {@code T} of the contract, hands it to the handler, then acknowledges and
 * deletes the entry. An entry that does not read as a {@code T} never blocks the stream: it is logged
 * (without its content) and dropped. A controller that dies
 * between the two leaves the entry pending; any replica claims entries pending longer than
 * {@code claimAfter} and applies them again (appliers skip what was already applied). So a restart or
 * an outage loses nothing. {@link #runOnce(Duration)} is one read-apply-ack round; a {@link Loop} on
 * the named thread only repeats it (a failed round is logged and retried after a backoff).
 */
public class StreamConsumer<T> {
    public static final String GROUP = "controller";
    private static final Logger log = LoggerFactory.getLogger(StreamConsumer.class);
    private static final int BATCH = 100;
    private static final Duration BLOCK = Duration.ofSeconds(1);
    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    /**
     * One stream: its key, the entry field holding the message, the message's type, what an entry is
     * called in a log line, and the name of the consumer's thread.
     */
    public record Stream<T>(String key, String field, Class<T> type, String entryName, String threadName) {
    }

    /** Applies one message; what it throws leaves the entry pending, to be applied again. */
    @FunctionalInterface
    public interface Handler<T> {
        void apply(T message);
    }

    private final Stream<T> stream;
    private final Handler<T> handler;
    private final RedisEndpoint client;
    private final String key;
    private final String consumerName = "controller-" + UUID.randomUUID().toString().substring(0, 8);
    private final Duration claimAfter;
    private final boolean background;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile RedisLink connection;
    private RedisLink inspector; // guarded by this
    private volatile Loop loop;

    /**
     * @param background start the thread when the application starts (tests drive {@link #runOnce} instead)
     */
    protected StreamConsumer(Stream<T> stream, Handler<T> handler, RedisEndpoint client, Duration claimAfter,
                             boolean background) {
        this.stream = stream;
        this.handler = handler;
        this.client = client;
        this.key = stream.key();
        this.claimAfter = claimAfter;
        this.background = background;
    }

    private void apply(String entryId, String json) {
        T message;
        try {
            message = Json.read(json, stream.type());
        } catch (InvalidMessageException bad) {
            log.warn("dropping unreadable {} {}: {}", stream.entryName(), entryId, bad.getMessage());
            return;
        }
        handler.apply(message);
    }

    @EventListener
    public void onStartup(StartupEvent event) {
        if (background) {
            start();
        }
    }

    @EventListener
    public void onShutdown(ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        if (loop != null || stopped.get()) {
            return;
        }
        connect();
        loop = new Loop(stream.threadName(), BACKOFF, this::round).start();
    }

    private synchronized void connect() {
        if (connection == null) {
            connection = client.connect();
            ensureGroup();
        }
    }

    private void ensureGroup() {
        try {
            connection.sync().xgroupCreate(XReadArgs.StreamOffset.from(key, "0-0"), GROUP, XGroupCreateArgs.Builder.mkstream());
        } catch (RedisBusyException alreadyThere) {
            // BUSYGROUP: another replica (or an earlier run) created it
        }
    }

    private Duration round() {
        try {
            runOnce(BLOCK);
        } catch (RuntimeException e) {
            if (e.getMessage() != null && e.getMessage().contains("NOGROUP")) {
                ensureGroup(); // the stream was deleted under us: make the group again, then back off
            }
            throw e;
        }
        return Duration.ZERO;
    }

    /** Claims entries stuck with dead consumers, reads new ones (blocking up to {@code block}), applies, acks. */
    public int runOnce(Duration block) {
        connect();
        var redis = connection.sync();
        List<StreamMessage<String, String>> batch = new ArrayList<>();
        var stuck = redis.xautoclaim(key, XAutoClaimArgs.Builder.xautoclaim(Consumer.from(GROUP, consumerName), claimAfter, "0-0").count(BATCH));
        batch.addAll(stuck.getMessages());
        if (batch.isEmpty()) {
            List<StreamMessage<String, String>> fresh = redis.xreadgroup(Consumer.from(GROUP, consumerName),
                    XReadArgs.Builder.block(block).count(BATCH), XReadArgs.StreamOffset.lastConsumed(key));
            if (fresh != null) {
                batch.addAll(fresh);
            }
        }
        for (StreamMessage<String, String> m : batch) {
            apply(m.getId(), m.getBody().get(stream.field()));
            redis.xack(key, GROUP, m.getId());
            redis.xdel(key, m.getId());
        }
        return batch.size();
    }

    /** The id of the last entry written to the stream ("0-0" when none ever was): a mark for {@link #appliedThrough}. */
    public String lastWritten() {
        var redis = inspector().sync();
        if (redis.xlen(key) == 0) {
            return "0-0"; // nothing waits: whatever was written is applied (each entry is deleted once applied)
        }
        return field(redis.xinfoStream(key), "last-generated-id");
    }

    /**
     * Has every entry up to {@code mark} ({@link #lastWritten()} at some moment) been applied? True when the group has
     * read past it and none of the entries it read up to there waits for its acknowledgement (each is acknowledged once
     * its change is committed). False while such an entry waits to be read or is being applied: the database is then
     * behind what the workers had reported by that moment.
     */
    public boolean appliedThrough(String mark) {
        if ("0-0".equals(mark)) {
            return true;
        }
        var redis = inspector().sync();
        for (Object g : redis.xinfoGroups(key)) {
            List<?> group = (List<?>) g;
            if (GROUP.equals(field(group, "name"))) {
                return compareIds(field(group, "last-delivered-id"), mark) >= 0
                        && redis.xpending(key, GROUP, Range.create("-", mark), Limit.from(1)).isEmpty();
            }
        }
        return false;
    }

    /** A connection of its own for {@link #lastWritten} and {@link #appliedThrough}: the loop's blocks in its reads. */
    private synchronized RedisLink inspector() {
        if (stopped.get()) {
            throw new IllegalStateException("the " + stream.entryName() + " consumer is stopped");
        }
        if (inspector == null) {
            inspector = client.connect();
        }
        return inspector;
    }

    /** A field of an XINFO reply (name, value, name, value, ...), as text; null when absent. */
    private static String field(List<?> reply, String name) {
        Object v = value(reply, name);
        return v == null ? null : v.toString();
    }

    private static Object value(List<?> reply, String name) {
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            if (name.equals(String.valueOf(reply.get(i)))) {
                return reply.get(i + 1);
            }
        }
        return null;
    }

    /** Orders two stream entry ids ("millis-sequence"). */
    static int compareIds(String a, String b) {
        String[] x = a.split("-", 2);
        String[] y = b.split("-", 2);
        int c = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
        return c != 0 ? c : Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
    }

    public String consumerName() {
        return consumerName;
    }

    /** Stops the thread and closes its connection; idempotent. */
    @PreDestroy
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        Loop l = loop;
        if (l != null) {
            l.close();
        }
        if (connection != null) {
            connection.close();
        }
        synchronized (this) {
            if (inspector != null) {
                inspector.close();
            }
        }
    }
}
