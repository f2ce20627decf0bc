package io.agentvine.controller.api;

import io.agentvine.controller.logs.AttemptLogs;
import io.agentvine.controller.logs.LogLine;
import io.agentvine.controller.logs.LogPage;
import io.agentvine.controller.logs.LogTail;
import io.agentvine.controller.security.Roles;
import io.agentvine.controller.security.SessionStreams;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Schedulers;

/**
 * An attempt's live log, as the worker ships it: a page of lines ({@code GET /api/v1/tasks/{id}/log})
 * and the same followed live over Server-Sent Events ({@code …/log/stream}): {@code line} events whose
 * id is the entry id — a client reconnecting with {@code Last-Event-ID} continues after it — and an
 * {@code end} event once the attempt is over, after which the stream closes. A client that stops
 * reading is cut off once {@link #MAX_PENDING} lines wait for it (it resumes with its Last-Event-ID);
 * one that goes away stops its follower at once.
 */
@Controller("/api/v1/tasks/{id}/log")
@ExecuteOn(TaskExecutors.BLOCKING)
public class TaskLogsController {
    static final int MAX_PENDING = 10_000;

    private final AttemptLogs logs;
    private final LogTail tail;
    private final SessionStreams sessions;

    public TaskLogsController(AttemptLogs logs, LogTail tail, SessionStreams sessions) {
        this.logs = logs;
        this.tail = tail;
        this.sessions = sessions;
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get
    public LogPage page(@PathVariable String id, @Nullable @QueryValue Integer attempt, @Nullable @QueryValue String after,
                        @Nullable @QueryValue Integer limit) {
        return logs.page(id, attempt, after, limit);
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get(value = "/stream", produces = MediaType.TEXT_EVENT_STREAM)
    public Publisher<Event<?>> stream(HttpRequest<?> request, @PathVariable String id, @Nullable @QueryValue Integer attempt,
                                      @Nullable @Header("Last-Event-ID") String lastEventId) {
        AttemptLogs.Attempt a = logs.attempt(id, attempt);
        String start = logs.start(a, lastEventId);
        // A comment first: the response goes out at once, and the client knows it follows this attempt.
        Event<Object> open = Event.<Object>of("").comment("following the log of attempt " + a.attempt() + " of task " + a.taskId()
                + " after " + start);
        Optional<String> ended = logs.endReached(a, start);
        if (ended.isPresent()) {
            return Flux.just(open, endEvent(a, ended.get()));
        }
        AtomicLong pending = new AtomicLong();
        Flux<Event<?>> events = Flux.<Event<?>>create(sink -> {
            LogTail.Follower follower = tail.follow(a.key(), start, new LogTail.Listener() {
                @Override
                public void lines(List<LogLine> lines) {
                    if (pending.addAndGet(lines.size()) > MAX_PENDING) {
                        sink.error(new IllegalStateException("the client reads too slowly"));
                        return;
                    }
                    lines.forEach(e -> sink.next(Event.of(e).id(e.id()).name("line")));
                }

                @Override
                public void end(String endId) {
                    sink.next(endEvent(a, endId));
                    sink.complete();
                }
            }, () -> logs.endedWithoutEntry(a));
            sink.onDispose(follower::close);
        }, FluxSink.OverflowStrategy.BUFFER).doOnNext(e -> pending.decrementAndGet());
        return sessions.untilSignedOut(request, Flux.<Event<?>>just(open).concatWith(events.subscribeOn(Schedulers.boundedElastic())),
                Event.of("{}").name(SessionStreams.SIGNED_OUT));
    }

    private static Event<?> endEvent(AttemptLogs.Attempt a, String endId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("task_id", a.taskId());
        data.put("attempt", a.attempt());
        Event<Map<String, Object>> end = Event.of(data).name("end");
        return endId == null ? end : end.id(endId);
    }
}
