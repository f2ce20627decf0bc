package io.agentvine.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentvine.cli.ApiClient;
import io.agentvine.cli.CliException;
import io.agentvine.cli.ExitCodes;
import io.agentvine.model.Json;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Reads one of the controller's Server-Sent Event streams and, when the connection drops or the server
 * goes away, connects again with {@code Last-Event-ID} set to the last event seen: nothing is missed,
 * nothing comes twice. A refused key (401/403), or any other answer of the API with a status, ends it.
 */
final class EventStream {
    private final Function<String, HttpResponse<Stream<String>>> open;
    private final Duration reconnectDelay;
    private final Consumer<String> notice;
    private String lastId;
    private long seen;
    private boolean stopped;

    /**
     * @param open opens the stream after the given event id (null: where the stream starts by itself), e.g.
     *             {@code last -> api.stream(path, last)}
     */
    EventStream(Function<String, HttpResponse<Stream<String>>> open, Duration reconnectDelay, Consumer<String> notice) {
        this.open = open;
        this.reconnectDelay = reconnectDelay;
        this.notice = notice;
    }

    /** The events of {@code GET /api/v1/events}, from {@code since} when given (else from now). */
    static EventStream events(ApiClient api, Long since, Duration reconnectDelay, Consumer<String> notice) {
        return new EventStream(last -> api.events(last, since), reconnectDelay, notice);
    }

    /** Delivers events (their data, with {@code id} and {@code event}, the event's name) until {@code limit} came (0: forever). */
    long run(long limit, Consumer<JsonNode> sink) throws InterruptedException {
        return runUntil(limit, e -> {
            sink.accept(e);
            return true;
        });
    }

    /** As {@link #run}, and stops (without connecting again) once {@code sink} answers false. */
    long runUntil(long limit, Predicate<JsonNode> sink) throws InterruptedException {
        while (!stopped && (limit == 0 || seen < limit)) {
            try {
                runOnce(limit, sink);
                if (!stopped && (limit == 0 || seen < limit)) {
                    notice.accept("the event stream ended; resuming after event " + (lastId == null ? "(none yet)" : lastId));
                }
            } catch (UncheckedIOException e) {
                notice.accept("the event stream broke (" + e.getCause().getMessage() + "); resuming after event "
                        + (lastId == null ? "(none yet)" : lastId));
            } catch (CliException e) {
                if (e.exitCode() != ExitCodes.ERROR || e.status() > 0) {
                    throw e;
                }
                notice.accept(e.getMessage() + "; trying again in " + reconnectDelay.toMillis() + " ms");
            }
            if (!stopped && (limit == 0 || seen < limit)) {
                Thread.sleep(reconnectDelay.toMillis());
            }
        }
        return seen;
    }

    /** One connection: reads frames until the stream ends or {@code limit} events came. */
    void runOnce(long limit, Predicate<JsonNode> sink) {
        HttpResponse<Stream<String>> res = open.apply(lastId);
        try (Stream<String> lines = res.body()) {
            Iterator<String> it = lines.iterator();
            String id = null;
            String name = null;
            StringBuilder data = new StringBuilder();
            while (!stopped && (limit == 0 || seen < limit) && it.hasNext()) {
                String line = it.next();
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        lastId = id != null ? id : lastId;
                        seen++;
                        stopped = !sink.test(event(id, name, data.toString()));
                    }
                    id = null;
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = value(line);
                } else if (line.startsWith("event:")) {
                    name = value(line);
                } else if (line.startsWith("data:")) {
                    data.append(data.length() > 0 ? "\n" : "").append(value(line));
                }
            }
        }
    }

    /** {@code {"id": …, "event": <the SSE event name>, …the data's fields}} (the data's own {@code type} may be a task type). */
    static JsonNode event(String id, String name, String data) {
        JsonNode parsed = Json.readTree(data);
        ObjectNode event = Json.mapper().createObjectNode();
        if (id != null) {
            if (!id.isEmpty() && id.chars().allMatch(Character::isDigit) && id.length() < 19) {
                event.put("id", Long.parseLong(id));
            } else {
                event.put("id", id); // a log entry id: <ms>-<seq>
            }
        }
        if (name != null) {
            event.put("event", name);
        }
        if (parsed instanceof ObjectNode o) {
            o.properties().forEach(e -> {
                if (!event.has(e.getKey())) {
                    event.set(e.getKey(), e.getValue());
                }
            });
            return event;
        }
        return parsed;
    }

    private static String value(String line) {
        String v = line.substring(line.indexOf(':') + 1);
        return v.startsWith(" ") ? v.substring(1) : v;
    }
}
