package io.agentvine.controller.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.AuthenticationFetcher;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * Turns {@code Authorization: Bearer <key>} into an authentication whose role is the key's kind
 * ({@link Roles}) and whose {@link Caller#ATTRIBUTE} is the caller. A request without one stays
 * anonymous; why is kept on the request ({@link #FAILURE}) for the 401's message.
 */
@Singleton
public class BearerKeyFetcher implements AuthenticationFetcher<HttpRequest<?>> {
    /** The request attribute naming why a request is anonymous. */
    public static final String FAILURE = "agentvine.authentication-failure";

    /** Why a request carries no usable key. */
    public enum Failure { MISSING, MALFORMED, UNKNOWN_KEY }

    private static final String BEARER = "Bearer ";

    private final ApiKeys keys;

    public BearerKeyFetcher(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public Publisher<Authentication> fetchAuthentication(HttpRequest<?> request) {
        Optional<String> header = request.getHeaders().getAuthorization();
        if (header.isEmpty()) {
            return anonymous(request, Failure.MISSING);
        }
        String value = header.get();
        if (!value.regionMatches(true, 0, BEARER, 0, BEARER.length()) || value.substring(BEARER.length()).isBlank()) {
            return anonymous(request, Failure.MALFORMED);
        }
        Optional<Caller> caller = keys.authenticate(value.substring(BEARER.length()).trim());
        if (caller.isEmpty()) {
            return anonymous(request, Failure.UNKNOWN_KEY);
        }
        Caller c = caller.get();
        return Mono.just(Authentication.build(c.keyName(), List.of(c.kind().role()), Map.of(Caller.ATTRIBUTE, c)));
    }

    private static Mono<Authentication> anonymous(HttpRequest<?> request, Failure why) {
        request.setAttribute(FAILURE, why);
        return Mono.empty();
    }
}
