package io.agentvine.controller.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Ends an event stream opened with a dashboard session when that session ends — a sign-out (in this
 * tab, another, or on another replica), a revocation, its expiry, or its key removed from the
 * configuration — instead of streaming to a signed-out browser until it reconnects. Every
 * {@link UiSettings#getSessionCheck()} the stream checks its session ({@link UiSessions#isLive});
 * when it no longer holds, the stream sends one last frame (the page goes to the sign-in page) and
 * ends. A stream opened with a bearer key is left as it is (keys do not end while the controller runs).
 */
@Singleton
public class SessionStreams {
    /** The name of the last frame's event. */
    public static final String SIGNED_OUT = "signed-out";

    private final UiSessions sessions;
    private final Duration check;

    public SessionStreams(UiSessions sessions, UiSettings settings) {
        this.sessions = sessions;
        this.check = settings.getSessionCheck();
    }

    /** {@code stream}, ended by {@code last} once the session {@code request} was authenticated with ends. */
    public <T> Flux<T> untilSignedOut(HttpRequest<?> request, Flux<T> stream, T last) {
        Optional<UiSession> session = request.getUserPrincipal(Authentication.class)
                .map(a -> a.getAttributes().get(UiSession.ATTRIBUTE))
                .filter(UiSession.class::isInstance).map(UiSession.class::cast);
        if (session.isEmpty()) {
            return stream;
        }
        AtomicBoolean over = new AtomicBoolean();
        Mono<Long> ended = Flux.interval(check, Schedulers.parallel())
                .onBackpressureDrop()
                .publishOn(Schedulers.boundedElastic(), 1) // a database read, at most, off the timer's thread
                .filter(tick -> !sessions.isLive(session.get()))
                .next().doOnNext(tick -> over.set(true));
        // The last frame only when the session ended it (a stream that ends by itself, e.g. a finished log, just ends).
        return stream.takeUntilOther(ended).concatWith(Mono.fromSupplier(() -> over.get() ? last : null));
    }
}
