package io.agentvine.controller.api;

import io.agentvine.controller.history.EventGroup;
import io.agentvine.controller.security.Roles;
import io.agentvine.controller.security.SessionStreams;
import io.agentvine.controller.sse.EventStreams;
import io.agentvine.controller.sse.SseFrame;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import org.reactivestreams.Publisher;

/**
 * Server-Sent Events from the durable event log. The stream opens with a comment (no event) naming
 * where it starts; every event carries its log id; a client that
 * reconnects with {@code Last-Event-ID} (or {@code ?since=<id>}) gets everything after it, so it
 * misses nothing — also events written by another controller replica, since all read one database.
 * All streams share one poller of the log ({@link io.agentvine.controller.history.EventFeed}), which encodes each event
 * once for all of them ({@link EventStreams}).
 * {@code ?groups=fleet,attention} streams only the events of those {@link EventGroup groups} (a dashboard page
 * asks for what it shows); without it, every event. Each event's data names its groups.
 */
@Controller("/api/v1/events")
public class EventsController {
    private final EventStreams streams;
    private final SessionStreams sessions;

    public EventsController(EventStreams streams, SessionStreams sessions) {
        this.streams = streams;
        this.sessions = sessions;
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get(produces = MediaType.TEXT_EVENT_STREAM)
    public Publisher<SseFrame> stream(HttpRequest<?> request, @Nullable @Header("Last-Event-ID") String lastEventId,
                                      @Nullable @QueryValue Long since, @Nullable @QueryValue String groups) {
        return sessions.untilSignedOut(request, streams.events(lastEventId, since, EventGroup.parse(groups)),
                SseFrame.event(SessionStreams.SIGNED_OUT, "{}"));
    }
}
