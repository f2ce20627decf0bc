package io.agentvine.controller.api;

import io.agentvine.controller.history.EventFeed;
import io.agentvine.controller.history.EventLog;
import io.agentvine.controller.persistence.EventRow;
import io.agentvine.controller.security.Roles;
import io.agentvine.model.Json;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.micronaut.security.annotation.Secured;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * Server-Sent Events from the durable event log. The stream opens with a comment (no event) naming
 * where it starts; every event carries its log id; a client that
 * reconnects with {@code Last-Event-ID} (or {@code ?since=<id>}) gets everything after it, so it
 * misses nothing — also events written by another controller replica, since all read one database.
 * All streams share one poller of the log ({@link EventFeed}).
 */
@Controller("/api/v1/events")
public class EventsController {
    /** Events a client may leave unread before its stream is cut (it resumes with its Last-Event-ID). */
    static final int MAX_PENDING = 10_000;

    private final EventLog log;
    private final EventFeed feed;

    public EventsController(EventLog log, EventFeed feed) {
        this.log = log;
        this.feed = feed;
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get(produces = MediaType.TEXT_EVENT_STREAM)
    public Publisher<Event<?>> stream(@Nullable @Header("Last-Event-ID") String lastEventId,
                                      @Nullable @QueryValue Long since) {
        long start = EventCursor.start(lastEventId, since, log::latestId);
        // A comment first: the response (headers included) goes out at once, so a client knows its
        // stream is open and will see every event after `start`, before anything happens.
        Event<Object> open = Event.<Object>of("").comment("streaming events after " + start);
        AtomicLong pending = new AtomicLong();
        Flux<Event<?>> events = Flux.<Event<?>>create(sink -> {
            EventFeed.Subscription subscription = feed.subscribe(start, rows -> {
                if (pending.addAndGet(rows.size()) > MAX_PENDING) {
                    sink.error(new IllegalStateException("the client reads too slowly")); // it resumes with Last-Event-ID
                    return; // the error disposes of the sink, which leaves the feed
                }
                rows.forEach(row -> sink.next(toEvent(row)));
            });
            sink.onDispose(subscription::close);
        }, FluxSink.OverflowStrategy.BUFFER).doOnNext(e -> pending.decrementAndGet());
        return Flux.<Event<?>>just(open).concatWith(events);
    }

    @SuppressWarnings("unchecked")
    private static Event<Map<String, Object>> toEvent(EventRow row) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", row.id());
        data.put("type", row.type());
        data.put("at", row.createdAt().toString());
        data.putAll(Json.read(row.payload(), Map.class));
        return Event.of(data).id(Long.toString(row.id())).name(row.type());
    }
}
