package io.agentvine.controller.sse;

import io.agentvine.controller.history.EventFeed;
import io.agentvine.controller.history.EventGroup;
import io.agentvine.controller.history.EventLog;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * The Server-Sent Events streams, written once: the event log's ({@code /api/v1/events}, and the pages'
 * {@code /ui/…/stream}, which add frames of their own). A stream opens with a comment (no event) naming where it
 * starts; every event carries its log id; {@code Last-Event-ID} (or {@code ?since=<id>}) resumes after it. All
 * streams share one poller of the log ({@link EventFeed}), which encodes each event once for all of them. A client
 * that leaves {@link #MAX_PENDING} frames unread is cut off (it resumes with its Last-Event-ID).
 */
@Singleton
public class EventStreams {
    /** Frames a client may leave unread before its stream is cut. */
    static final int MAX_PENDING = 10_000;

    private final EventLog log;
    private final EventFeed feed;

    public EventStreams(EventLog log, EventFeed feed) {
        this.log = log;
        this.feed = feed;
    }

    /** The events of {@code groups} (empty: all) after the client's cursor, opening with the comment. */
    public Flux<SseFrame> events(@Nullable String lastEventId, @Nullable Long since, Set<EventGroup> groups) {
        long start = EventCursor.start(lastEventId, since, log::latestId);
        // A comment first: the response (headers included) goes out at once, so a client knows its
        // stream is open and will see every event after `start`, before anything happens.
        SseFrame open = SseFrame.comment("streaming events after " + start);
        Flux<SseFrame> events = bounded(frames -> {
            EventFeed.Subscription s = feed.subscribe(start, groups, news -> news.forEach(e -> frames.accept(SseFrame.of(e))));
            return s::close;
        });
        return Flux.just(open).concatWith(events);
    }

    /**
     * Frames from a source of their own: {@code follow} starts it with the consumer of its frames (called from any
     * thread) and returns how to stop it, which runs when the stream ends.
     */
    public static Flux<SseFrame> bounded(Function<Consumer<SseFrame>, Runnable> follow) {
        AtomicLong pending = new AtomicLong();
        return Flux.<SseFrame>create(sink -> {
            Runnable stop = follow.apply(frame -> {
                if (pending.incrementAndGet() > MAX_PENDING) {
                    sink.error(new IllegalStateException("the client reads too slowly")); // it resumes with Last-Event-ID
                    return; // the error disposes of the sink, which stops the source
                }
                sink.next(frame); // the frame encoded once for every stream
            });
            sink.onDispose(stop::run);
        }, FluxSink.OverflowStrategy.BUFFER).doOnNext(e -> pending.decrementAndGet());
    }
}
