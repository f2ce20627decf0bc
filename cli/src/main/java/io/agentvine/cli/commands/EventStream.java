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
import java.util.stream.Stream;

/**
 * Reads the controller's Server-Sent Events and, when the connection drops or the server goes away,
 * connects again with {@code Last-Event-ID} set to the last event seen: nothing is missed, nothing
 * comes twice. A refused key (401/403) ends it.
 */
final class EventStream {
    private final ApiClient api;
    private final Duration reconnectDelay;
    private final Consumer<String> notice;
    private String lastId;
    private long seen;

    EventStream(ApiClient api, Duration reconnectDelay, Consumer<String> notice) {
        this.api = api;
        this.reconnectDelay = reconnectDelay;
        this.notice = notice;
    }

    /** Delivers events (their data, with {@code id} and {@code event}, the event's name) until {@code limit} came (0: forever). */
    long run(Long since, long limit, Consumer<JsonNode> sink) throws InterruptedException {
        while (limit == 0 || seen < limit) {
            try {
                runOnce(since, limit, sink);
                if (limit == 0 || seen < limit) {
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
            if (limit == 0 || seen < limit) {
                Thread.sleep(reconnectDelay.toMillis());
            }
        }
        return seen;
    }

    /** One connection: reads frames until the stream ends or {@code limit} events came. */
    void runOnce(Long since, long limit, Consumer<JsonNode> sink) {
        HttpResponse<Stream<String>> res = api.events(lastId, since);
        try (Stream<String> lines = res.body()) {
            Iterator<String> it = lines.iterator();
            String id = null;
            String name = null;
            StringBuilder data = new StringBuilder();
            while ((limit == 0 || seen < limit) && it.hasNext()) {
                String line = it.next();
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        lastId = id != null ? id : lastId;
                        seen++;
                        sink.accept(event(id, name, data.toString()));
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
            event.put("id", Long.parseLong(id));
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
