package io.agentvine.queue;

import io.agentvine.model.QueueOutcome;
import io.agentvine.model.Json;
import io.agentvine.model.LifecycleEvent;
import io.lettuce.core.XAddArgs;
import io.agentvine.queue.redis.RedisLink;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.Map;

/**
 * The Redis stream on which workers report what happened to their work orders (started, progress,
 * token usage, completed, failed, …) and from which the controller builds its history. Results
 * travel here rather than over HTTP so that a controller outage loses nothing: entries wait in the
 * stream until a controller has written them to its database and acknowledged them.
 *
 * <p>Key {@code <namespace>:lifecycle}, one field {@code event} holding the {@link LifecycleEvent}
 * JSON. A {@code failed} event carries the queue's verdict ({@link LifecycleEvent#queueOutcome()}) so the
 * controller knows whether the task will be retried.
 * The stream is capped at about {@link #MAX_LENGTH} entries as a last-resort bound; the controller
 * deletes entries once processed, so in normal operation it holds only unprocessed ones.
 */
public final class LifecycleStream {
    public static final String FIELD = "event";
    public static final long MAX_LENGTH = 1_000_000;

    private final RedisLink connection;
    private final String key;

    public LifecycleStream(StatefulRedisConnection<String, String> connection, String namespace) {
        this(RedisLink.of(connection), namespace);
    }

    /** On any topology (a Cluster routes by the stream's key). */
    public LifecycleStream(RedisLink connection, String namespace) {
        this.connection = connection;
        this.key = key(namespace);
    }

    public static String key(String namespace) {
        new QueueKeys(namespace, io.agentvine.model.TaskType.FEATURE); // validates the namespace
        return namespace + ":lifecycle";
    }

    public String key() {
        return key;
    }

    /** Appends one event; returns its stream id. */
    public String publish(LifecycleEvent event) {
        return connection.sync().xadd(key, XAddArgs.Builder.maxlen(MAX_LENGTH).approximateTrimming(),
                Map.of(FIELD, Json.write(event)));
    }
}
