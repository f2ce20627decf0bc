package io.agentvine.controller.api;

import io.agentvine.controller.security.Caller;
import io.micronaut.http.HttpRequest;

/** The authenticated caller of a request (set by the API key filter). */
final class Callers {
    private Callers() {
    }

    static Caller of(HttpRequest<?> request) {
        return request.getAttribute(Caller.ATTRIBUTE, Caller.class)
                .orElseThrow(() -> new IllegalStateException("no caller: the API key filter did not run"));
    }

    static Caller admin(HttpRequest<?> request) {
        Caller c = of(request);
        if (!c.isAdmin()) {
            throw ApiException.forbidden("this needs an admin key; key '" + c.keyName() + "' is a worker key");
        }
        return c;
    }
}
