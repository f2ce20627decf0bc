package io.agentvine.controller.streams;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.agentvine.loop.Backoff;
import io.agentvine.loop.Loop;
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
 * Reads one Redis stream in the consumer group {@code controller}: hands each entry's field to
 * {@link #apply(String, String)}, then acknowledges and deletes the entry. A controller that dies
 * between the two leaves the entry pending; any replica claims entries pending longer than
 * {@code claimAfter} and applies them again (appliers skip what was already applied). So a restart or
 * an outage loses nothing. {@link #runOnce(Duration)} is one read-apply-ack round; a {@link Loop} on
 * the named thread only repeats it (a failed round is logged and retried after a backoff).
 */
public abstract class GroupConsumer {
    public static final String GROUP = "controller";
    private static final Logger log = LoggerFactory.getLogger(GroupConsumer.class);
    private static final int BATCH = 100;
    private static final Duration BLOCK = Duration.ofSeconds(1);
    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    private final RedisClient client;
    private final String key;
    private final String field;
    private final String threadName;
    private final String consumerName = "controller-" + UUID.randomUUID().toString().substring(0, 8);
    private final Duration claimAfter;
    private final boolean background;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile Loop loop;

    /** @param background start the thread when the application starts (tests drive {@link #runOnce} instead) */
    protected GroupConsumer(RedisClient client, String key, String field, String threadName, Duration claimAfter, boolean background) {
        this.background = background;
        this.client = client;
        this.key = key;
        this.field = field;
        this.threadName = threadName;
        this.claimAfter = claimAfter;
    }

    /** Applies one entry; an entry it cannot read must be logged and dropped, never thrown for. */
    protected abstract void apply(String entryId, String json);

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
        loop = new Loop(threadName, BACKOFF, this::round).start();
    }

    private synchronized void connect() {
        if (connection == null) {
            connection = client.connect(StringCodec.UTF8);
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
            apply(m.getId(), m.getBody().get(field));
            redis.xack(key, GROUP, m.getId());
            redis.xdel(key, m.getId());
        }
        return batch.size();
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
    }
}
