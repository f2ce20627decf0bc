package io.agentvine.controller.api;

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
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Server-Sent Events from the durable event log. The stream opens with a comment (no event) naming
 * where it starts; every event carries its log id; a client that
 * reconnects with {@code Last-Event-ID} (or {@code ?since=<id>}) gets everything after it, so it
 * misses nothing — also events written by another controller replica, since all read one database.
 */
@Controller("/api/v1/events")
public class EventsController {
    private static final Duration POLL = Duration.ofMillis(200);

    private final EventLog log;

    public EventsController(EventLog log) {
        this.log = log;
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get(produces = MediaType.TEXT_EVENT_STREAM)
    public Publisher<Event<?>> stream(@Nullable @Header("Last-Event-ID") String lastEventId,
                                      @Nullable @QueryValue Long since) {
        long start = EventCursor.start(lastEventId, since, log::latestId);
        AtomicLong cursor = new AtomicLong(start);
        // A comment first: the response (headers included) goes out at once, so a client knows its
        // stream is open and will see every event after `start`, before anything happens.
        Event<Object> open = Event.<Object>of("").comment("streaming events after " + start);
        return Flux.<Event<?>>just(open).concatWith(Flux.interval(Duration.ZERO, POLL)
                .onBackpressureDrop()
                .concatMap(tick -> Mono.fromCallable(() -> log.after(cursor.get()))
                        .subscribeOn(Schedulers.boundedElastic())
                        .flatMapMany(Flux::fromIterable), 1)
                .map(row -> {
                    cursor.set(row.id());
                    return toEvent(row);
                }));
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
