package io.agentvine.controller.api;

import io.agentvine.controller.security.Caller;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;

/** The authenticated caller of a request (from its bearer key; see BearerKeyFetcher). */
final class Callers {
    private Callers() {
    }

    static Caller of(HttpRequest<?> request) {
        return request.getUserPrincipal(Authentication.class)
                .map(a -> (Caller) a.getAttributes().get(Caller.ATTRIBUTE))
                .orElseThrow(() -> new IllegalStateException("no caller: the route must not be open to anonymous calls"));
    }
}
