package io.agentvine.controller.security;

import io.agentvine.controller.domain.ForbiddenException;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.security.authentication.Authentication;
import java.util.Set;

/**
 * A state-changing request (POST, PUT, PATCH, DELETE) authenticated by the session cookie must carry
 * the session's CSRF token in the {@value #HEADER} header (the dashboard's {@code app.js} adds it to
 * every htmx request); else it is refused with 403 naming the header. Requests with a bearer key are
 * not concerned (a browser never adds one by itself).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class CsrfFilter implements Ordered {
    public static final String HEADER = "X-CSRF-Token";
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE);

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }

    @RequestFilter
    public void check(HttpRequest<?> request) {
        if (SAFE.contains(request.getMethod())) {
            return;
        }
        UiSession session = request.getUserPrincipal(Authentication.class)
                .map(a -> (UiSession) a.getAttributes().get(UiSession.ATTRIBUTE))
                .orElse(null);
        if (session == null) {
            return;
        }
        String presented = request.getHeaders().get(HEADER);
        if (!UiSessions.csrfMatches(session, presented)) {
            throw new ForbiddenException("csrf", presented == null
                    ? "this request changes something and is signed in by the dashboard's session cookie, but carries no "
                            + HEADER + " header: reload the page and try again"
                    : "the " + HEADER + " header does not match this session: reload the page and try again");
        }
    }
}
