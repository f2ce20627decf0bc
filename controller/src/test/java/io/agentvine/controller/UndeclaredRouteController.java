package io.agentvine.controller;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/**
 * A route that forgot to declare who may call it (no {@code @Secured}): present only in
 * {@link RouteAuthorizationTest}, which shows it is refused to every key and that its sweep finds it.
 */
@Controller("/api/v1/test-undeclared")
@Requires(property = "test.undeclared-route", value = "true")
class UndeclaredRouteController {
    static final String REACHED = "the undeclared route ran";

    @Get
    String reach() {
        return REACHED;
    }
}
