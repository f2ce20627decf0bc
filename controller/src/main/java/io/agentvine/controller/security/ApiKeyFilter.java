package io.agentvine.controller.security;

import io.agentvine.controller.api.ApiError;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import java.util.Optional;

/** Every {@code /api/v1} call needs a bearer key; health, metrics and the OpenAPI document stay open. */
@ServerFilter("/api/v1/**")
public class ApiKeyFilter implements io.micronaut.core.order.Ordered {
    private final ApiKeys keys;

    public ApiKeyFilter(ApiKeys keys) {
        this.keys = keys;
    }

    @RequestFilter
    @io.micronaut.core.annotation.Nullable
    public MutableHttpResponse<?> authenticate(HttpRequest<?> request) {
        Optional<String> header = request.getHeaders().getAuthorization();
        if (header.isEmpty() || !header.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
            return HttpResponse.status(HttpStatus.UNAUTHORIZED).header("WWW-Authenticate", "Bearer")
                    .body(new ApiError("unauthorized", "authorization", "send 'Authorization: Bearer <key>'"));
        }
        Optional<Caller> caller = keys.authenticate(header.get().substring(7).trim());
        if (caller.isEmpty()) {
            return HttpResponse.status(HttpStatus.UNAUTHORIZED).header("WWW-Authenticate", "Bearer")
                    .body(new ApiError("unauthorized", "authorization", "unknown key"));
        }
        request.setAttribute(Caller.ATTRIBUTE, caller.get());
        return null;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.order();
    }
}
