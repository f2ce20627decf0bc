package io.agentvine.controller.api;

import io.agentvine.controller.history.EventFeed;
import io.agentvine.controller.history.EventLog;
import io.agentvine.controller.history.EventGroup;
import io.agentvine.controller.security.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * Server-Sent Events from the durable event log. The stream opens with a comment (no event) naming
 * where it starts; every event carries its log id; a client that
 * reconnects with {@code Last-Event-ID} (or {@code ?since=<id>}) gets everything after it, so it
 * misses nothing — also events written by another controller replica, since all read one database.
 * All streams share one poller of the log ({@link EventFeed}), which encodes each event once for all of them.
 * {@code ?groups=fleet,attention} streams only the events of those {@link EventGroup groups} (a dashboard page
 * asks for what it shows); without it, every event. Each event's data names its groups.
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
    public Publisher<SseFrame> stream(@Nullable @Header("Last-Event-ID") String lastEventId,
                                      @Nullable @QueryValue Long since, @Nullable @QueryValue String groups) {
        Set<EventGroup> wanted = EventGroup.parse(groups);
        long start = EventCursor.start(lastEventId, since, log::latestId);
        // A comment first: the response (headers included) goes out at once, so a client knows its
        // stream is open and will see every event after `start`, before anything happens.
        SseFrame open = SseFrame.comment("streaming events after " + start);
        AtomicLong pending = new AtomicLong();
        Flux<SseFrame> events = Flux.<SseFrame>create(sink -> {
            EventFeed.Subscription subscription = feed.subscribe(start, wanted, news -> {
                if (pending.addAndGet(news.size()) > MAX_PENDING) {
                    sink.error(new IllegalStateException("the client reads too slowly")); // it resumes with Last-Event-ID
                    return; // the error disposes of the sink, which leaves the feed
                }
                news.forEach(e -> sink.next(SseFrame.of(e))); // the frame encoded once for every stream
            });
            sink.onDispose(subscription::close);
        }, FluxSink.OverflowStrategy.BUFFER).doOnNext(e -> pending.decrementAndGet());
        return Flux.just(open).concatWith(events);
    }
}
