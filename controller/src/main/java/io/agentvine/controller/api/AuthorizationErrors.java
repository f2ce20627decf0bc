package io.agentvine.controller.api;

import io.agentvine.controller.security.BearerKeyFetcher;
import io.agentvine.controller.security.Caller;
import io.agentvine.controller.ui.UiErrors;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.DefaultAuthorizationExceptionHandler;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.RouteMatch;
import io.micronaut.web.router.UriRouteMatch;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * A refused request as the API's JSON error: 401 {@code unauthorized} without a usable key (missing,
 * malformed, unknown — the key is never echoed), 403 {@code forbidden} when the key's role is not one
 * the route declares, or the route declares none. Under /ui the dashboard's answers instead
 * ({@link UiErrors}): sign in first, or a page/fragment saying the key's role may not do this.
 */
@Produces
@Singleton
@Replaces(DefaultAuthorizationExceptionHandler.class)
public class AuthorizationErrors implements ExceptionHandler<AuthorizationException, MutableHttpResponse<?>> {
    @Override
    public MutableHttpResponse<?> handle(HttpRequest request, AuthorizationException e) {
        if (UiErrors.isUi((HttpRequest<?>) request)) {
            return e.isForbidden()
                    ? UiErrors.forbidden((HttpRequest<?>) request, e.getAuthentication() == null ? null
                            : (Caller) e.getAuthentication().getAttributes().get(Caller.ATTRIBUTE))
                    : UiErrors.signInFirst((HttpRequest<?>) request);
        }
        if (!e.isForbidden()) {
            BearerKeyFetcher.Failure why = ((HttpRequest<?>) request)
                    .getAttribute(BearerKeyFetcher.FAILURE, BearerKeyFetcher.Failure.class)
                    .orElse(BearerKeyFetcher.Failure.MISSING);
            String message = switch (why) {
                case MISSING -> "send 'Authorization: Bearer <key>'";
                case MALFORMED -> "must be 'Bearer <key>'";
                case UNKNOWN_KEY -> "unknown key";
            };
            return HttpResponse.<ApiError>status(HttpStatus.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                    .body(new ApiError("unauthorized", "authorization", message));
        }
        Caller caller = (Caller) e.getAuthentication().getAttributes().get(Caller.ATTRIBUTE);
        RouteMatch<?> route = RouteAttributes.getRouteMatch((HttpRequest<?>) request).orElse(null);
        String what = route instanceof UriRouteMatch<?, ?> uri
                ? uri.getRouteInfo().getHttpMethodName() + " " + uri.getRouteInfo().getUriMatchTemplate()
                : "this route";
        List<String> roles = route == null ? List.of() : List.of(route.getAnnotationMetadata().stringValues(Secured.class));
        String message = roles.isEmpty()
                ? what + " declares no access rule, so it is refused to every key"
                : what + " needs a key of role " + String.join(" or ", roles) + "; key '" + caller.keyName()
                        + "' is a " + caller.kind().role() + " key";
        return HttpResponse.<ApiError>status(HttpStatus.FORBIDDEN).body(new ApiError("forbidden", "authorization", message));
    }
}
