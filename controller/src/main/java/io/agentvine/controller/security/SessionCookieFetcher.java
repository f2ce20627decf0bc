package io.agentvine.controller.security;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.AuthenticationFetcher;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The dashboard's session cookie ({@link UiSessions#COOKIE}) as an authentication with the key's
 * role, on every path (pages, and the API's GETs a browser makes, e.g. an EventSource on
 * /api/v1/events). Runs after {@link BearerKeyFetcher}: a bearer key wins. State-changing requests
 * it authenticates are checked for the CSRF token by {@link CsrfFilter}.
 */
@Singleton
public class SessionCookieFetcher implements AuthenticationFetcher<HttpRequest<?>> {
    private final UiSessions sessions;

    public SessionCookieFetcher(UiSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public Publisher<Authentication> fetchAuthentication(HttpRequest<?> request) {
        Optional<String> value = request.getCookies().findCookie(UiSessions.COOKIE).map(Cookie::getValue);
        if (value.isEmpty()) {
            return Mono.empty();
        }
        // The session is read from the database: off the event loop.
        return Mono.fromCallable(() -> sessions.find(value.get()).orElse(null))
                .subscribeOn(Schedulers.boundedElastic())
                .map(s -> Authentication.build(s.caller().keyName(), List.of(s.caller().kind().role()),
                        Map.of(Caller.ATTRIBUTE, s.caller(), UiSession.ATTRIBUTE, s)));
    }
}
