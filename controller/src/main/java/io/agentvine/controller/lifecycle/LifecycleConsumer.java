package io.agentvine.controller.lifecycle;

import io.agentvine.controller.config.ControllerSettings;
import io.agentvine.model.InvalidMessageException;
import io.agentvine.model.Json;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.queue.LifecycleStream;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the workers' lifecycle stream in the consumer group {@code controller}: applies each event to
 * the database, then acknowledges and deletes the entry. A controller that dies between the two
 * leaves the entry pending; any replica claims entries pending longer than {@code claimAfter} and
 * applies them (the applier skips what was already applied). So a restart or an outage loses nothing.
 * {@link #runOnce(Duration)} is one read-apply-ack round; the named thread only repeats it.
 */
@Singleton
public class LifecycleConsumer {
    static final String GROUP = "controller";
    private static final Logger log = LoggerFactory.getLogger(LifecycleConsumer.class);
    private static final int BATCH = 100;

    private final LifecycleApplier applier;
    private final RedisClient client;
    private final String key;
    private final String consumerName = "controller-" + UUID.randomUUID().toString().substring(0, 8);
    private final Duration claimAfter;
    private final boolean background;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile Thread thread;

    public LifecycleConsumer(LifecycleApplier applier, RedisClient client, ControllerSettings settings,
                             @io.micronaut.context.annotation.Value("${agentvine.background.enabled:true}") boolean background) {
        this.background = background;
        this.applier = applier;
        this.client = client;
        this.key = LifecycleStream.key(settings.getQueueNamespace());
        this.claimAfter = settings.getLifecycleClaimAfter();
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (background) {
            start();
        }
    }

    public synchronized void start() {
        if (thread != null || stopped.get()) {
            return;
        }
        connect();
        thread = new Thread(this::loop, "lifecycle-consumer");
        thread.setDaemon(true);
        thread.start();
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

    private void loop() {
        long backoffMs = 100;
        while (!stopped.get()) {
            try {
                runOnce(Duration.ofSeconds(1));
                backoffMs = 100;
            } catch (Throwable t) {
                if (stopped.get()) {
                    return;
                }
                log.error("lifecycle stream round failed; retrying in {} ms", backoffMs, t);
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 5_000);
                if (t.getMessage() != null && t.getMessage().contains("NOGROUP")) {
                    ensureGroup();
                }
            }
        }
    }

    /** Claims entries stuck with dead consumers, reads new ones (blocking up to {@code block}), applies, acks. */
    public int runOnce(Duration block) {
        connect();
        var redis = connection.sync();
        List<StreamMessage<String, String>> batch = new ArrayList<>();
        ClaimedMessages<String, String> stuck = redis.xautoclaim(key,
                XAutoClaimArgs.Builder.xautoclaim(Consumer.from(GROUP, consumerName), claimAfter, "0-0").count(BATCH));
        batch.addAll(stuck.getMessages());
        if (batch.isEmpty()) {
            List<StreamMessage<String, String>> fresh = redis.xreadgroup(Consumer.from(GROUP, consumerName),
                    XReadArgs.Builder.block(block).count(BATCH), XReadArgs.StreamOffset.lastConsumed(key));
            if (fresh != null) {
                batch.addAll(fresh);
            }
        }
        for (StreamMessage<String, String> m : batch) {
            String json = m.getBody().get(LifecycleStream.FIELD);
            try {
                applier.apply(Json.read(json, LifecycleEvent.class));
            } catch (InvalidMessageException bad) {
                // A malformed entry never blocks the stream: logged (without its content) and dropped.
                log.warn("dropping unreadable lifecycle entry {}: {}", m.getId(), bad.getMessage());
            }
            redis.xack(key, GROUP, m.getId());
            redis.xdel(key, m.getId());
        }
        return batch.size();
    }

    public String consumerName() {
        return consumerName;
    }

    @EventListener
    void onShutdown(ShutdownEvent event) {
        stop();
    }

    /** Stops the thread and closes its connection; idempotent. */
    @PreDestroy
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (connection != null) {
            connection.close();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
