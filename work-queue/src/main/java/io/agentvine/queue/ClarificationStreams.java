package io.agentvine.queue;

import io.agentvine.model.ClarificationRequest;
import io.agentvine.model.ClarificationResponse;
import io.agentvine.model.Json;
import io.lettuce.core.XAddArgs;
import io.agentvine.queue.redis.RedisLink;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.Map;

/**
 * The two directions of the clarification channel. Workers add {@link ClarificationRequest}s to
 * {@code <namespace>:clarify:requests}, which the controller reads in a consumer group (so a request
 * waits in the stream while no controller runs); the controller adds each {@link ClarificationResponse}
 * to the asking worker's own stream {@code <namespace>:clarify:responses:<worker-id>}, which only that
 * worker reads. Both are trimmed (approximately) so they never grow without bound: the controller
 * deletes requests once stored, and a worker's response stream keeps only its latest
 * {@link #MAX_RESPONSES} entries.
 */
public final class ClarificationStreams {
    public static final String REQUEST_FIELD = "request";
    public static final String RESPONSE_FIELD = "response";
    public static final long MAX_REQUESTS = 100_000;
    public static final long MAX_RESPONSES = 1_000;

    private final RedisLink connection;
    private final String namespace;

    public ClarificationStreams(StatefulRedisConnection<String, String> connection, String namespace) {
        this(RedisLink.of(connection), namespace);
    }

    /** On any topology (a Cluster routes by the stream's key). */
    public ClarificationStreams(RedisLink connection, String namespace) {
        this.connection = connection;
        this.namespace = namespace;
        requestsKey(namespace); // validates the namespace
    }

    public static String requestsKey(String namespace) {
        new QueueKeys(namespace, io.agentvine.model.TaskType.FEATURE); // validates the namespace
        return namespace + ":clarify:requests";
    }

    public static String responsesKey(String namespace, String workerId) {
        return namespace + ":clarify:responses:" + workerId;
    }

    /** Adds a request for the controller; returns its stream id. */
    public String publishRequest(ClarificationRequest request) {
        return connection.sync().xadd(requestsKey(namespace), XAddArgs.Builder.maxlen(MAX_REQUESTS).approximateTrimming(),
                Map.of(REQUEST_FIELD, Json.write(request)));
    }

    /** Adds a response to the asking worker's stream; returns its stream id. */
    public String publishResponse(String workerId, ClarificationResponse response) {
        return connection.sync().xadd(responsesKey(namespace, workerId), XAddArgs.Builder.maxlen(MAX_RESPONSES).approximateTrimming(),
                Map.of(RESPONSE_FIELD, Json.write(response)));
    }
}
