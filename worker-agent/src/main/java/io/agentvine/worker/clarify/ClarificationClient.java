package io.agentvine.worker.clarify;

import io.agentvine.loop.Backoff;
import io.agentvine.loop.Loop;
import io.agentvine.model.ClarificationRequest;
import io.agentvine.model.ClarificationResponse;
import io.agentvine.model.InvalidMessageException;
import io.agentvine.model.Json;
import io.agentvine.queue.ClarificationStreams;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.agentvine.queue.redis.RedisEndpoint;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.agentvine.queue.redis.RedisLink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's side of the clarification channel: adds requests to the controller's request stream
 * and waits for the responses on this worker's own response stream, read by one {@link Loop}
 * ({@code worker-clarifications}) that blocks on XREAD with its own connection. The wait also ends at
 * the request's {@code expires_at} on this worker's clock, so a controller that is down cannot keep
 * an agent waiting past it.
 */
public final class ClarificationClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClarificationClient.class);

    private final RedisEndpoint redis;
    private final String namespace;
    private final Supplier<String> workerId;
    private final Clock clock;
    private final Map<String, CompletableFuture<ClarificationResponse>> waiting = new ConcurrentHashMap<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private RedisLink publishConnection;
    private RedisLink readConnection;
    private ClarificationStreams streams;
    private Loop reader;
    /** The responses stream read and the last entry seen there: only the reader's thread touches them. */
    private String key;
    private String lastId = "0-0";

    public ClarificationClient(RedisEndpoint redis, String namespace, Supplier<String> workerId, Clock clock) {
        this.redis = redis;
        this.namespace = namespace;
        this.workerId = workerId;
        this.clock = clock;
    }

    public void start() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        publishConnection = redis.connect();
        readConnection = redis.connect();
        streams = new ClarificationStreams(publishConnection, namespace);
        reader = new Loop("worker-clarifications", new Backoff(Duration.ofMillis(250), Duration.ofSeconds(5)), this::readOnce).start();
    }

    /**
     * Sends the request and blocks until its response, the request's expiry, or {@code stopped}.
     *
     * @return the response; empty when the request expired here first or the wait was stopped
     */
    public Optional<ClarificationResponse> ask(ClarificationRequest request, BooleanSupplier stopped) {
        return ask(request, stopped, request.expiresAt());
    }

    /**
     * As {@link #ask(ClarificationRequest, BooleanSupplier)}, waiting at most until {@code until} (when the run
     * parks instead of waiting on): a response that comes later is not this wait's.
     */
    public Optional<ClarificationResponse> ask(ClarificationRequest request, BooleanSupplier stopped, Instant until) {
        Instant end = until.isBefore(request.expiresAt()) ? until : request.expiresAt();
        CompletableFuture<ClarificationResponse> answer = new CompletableFuture<>();
        waiting.put(request.id(), answer);
        try {
            streams.publishRequest(request);
            log.info("{} {} sent for task {}; waiting until {}", request.kind().wireName(), request.id(), request.taskId(),
                    request.expiresAt());
            while (!stopped.getAsBoolean() && clock.instant().isBefore(end)) {
                try {
                    return Optional.of(answer.get(100, TimeUnit.MILLISECONDS));
                } catch (TimeoutException notYet) {
                    // look at stopped and the expiry again
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
            return Optional.empty();
        } finally {
            waiting.remove(request.id());
        }
    }

    /** One read of this worker's responses stream, blocking up to a second; each response goes to its waiting ask. */
    private Duration readOnce() {
        String id = workerId.get();
        if (id == null) {
            return Duration.ofMillis(100); // not registered yet
        }
        String current = ClarificationStreams.responsesKey(namespace, id);
        if (!current.equals(key)) {
            key = current;
            // Only responses from now on: requests asked before this worker (re)started are not waited for.
            List<StreamMessage<String, String>> last = readConnection.sync().xrevrange(key, Range.create("-", "+"),
                    Limit.from(1));
            lastId = last.isEmpty() ? "0-0" : last.get(0).getId();
        }
        List<StreamMessage<String, String>> batch = readConnection.sync().xread(XReadArgs.Builder.block(Duration.ofSeconds(1))
                .count(100), XReadArgs.StreamOffset.from(key, lastId));
        if (batch != null) {
            for (StreamMessage<String, String> m : batch) {
                lastId = m.getId();
                deliver(m.getBody().get(ClarificationStreams.RESPONSE_FIELD));
            }
        }
        return Duration.ZERO;
    }

    private void deliver(String json) {
        try {
            ClarificationResponse r = Json.read(json, ClarificationResponse.class);
            CompletableFuture<ClarificationResponse> f = waiting.get(r.requestId());
            if (f != null) {
                f.complete(r);
            } else {
                log.info("response to {} ({}) arrived after its wait ended; ignored", r.requestId(), r.status().wireName());
            }
        } catch (InvalidMessageException bad) {
            log.warn("unreadable clarification response: {}", bad.getMessage());
        }
    }

    /** Idempotent: stops the reader and closes both connections. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true) || !started.get()) {
            return;
        }
        reader.close();
        readConnection.close();
        publishConnection.close();
    }
}
