package io.agentvine.controller.ui;

import io.agentvine.controller.security.Roles;
import io.agentvine.controller.security.UiSessions;
import io.agentvine.controller.security.UiSettings;
import io.agentvine.controller.ui.model.Flash;
import io.agentvine.controller.ui.model.Layout;
import io.agentvine.controller.ui.model.LoginPage;
import io.swagger.v3.oas.annotations.Hidden;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import java.net.URI;

/**
 * Sign-in and sign-out: an admin or viewer key is exchanged for the session cookie
 * ({@link UiSessions}); the key itself is never stored, logged, or put in a page or a URL.
 */
@Hidden // a dashboard page, not part of the API (its OpenAPI document)
@Controller("/ui")
@ExecuteOn(TaskExecutors.BLOCKING)
public class LoginController {
    private static final String HOME = "/ui/fleet";

    private final UiSessions sessions;
    private final UiSettings settings;

    public LoginController(UiSessions sessions, UiSettings settings) {
        this.sessions = sessions;
        this.settings = settings;
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<?> root() {
        return HttpResponse.seeOther(URI.create(HOME));
    }

    @Secured(SecurityRule.IS_ANONYMOUS)
    @Get(value = "/login", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> form(@Nullable @QueryValue String next,
                                @Nullable @QueryValue("signed_out") String signedOut) {
        Flash flash = signedOut != null ? Flash.info("You are signed out.") : null;
        return HttpResponse.ok(UiContext.page("login", Layout.anonymous("Sign in", flash), new LoginPage(safeNext(next), null)));
    }

    @Secured(SecurityRule.IS_ANONYMOUS)
    @Post(value = "/login", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> signIn(@Nullable @Body("key") String key, @Nullable @Body("next") String next) {
        if (key == null || key.isBlank()) {
            return refused(next, "key: enter an admin or viewer key");
        }
        return sessions.signIn(key)
                .<HttpResponse<?>>map(opened -> HttpResponse.seeOther(URI.create(safeNext(next)))
                        .cookie(Cookie.of(UiSessions.COOKIE, opened.cookieValue())
                                .httpOnly(true)
                                .sameSite(SameSite.Lax)
                                .path("/")
                                .secure(settings.isSecureCookie())
                                .maxAge(opened.ttl())))
                .orElseGet(() -> refused(next, "key: this is not an admin or viewer key of this controller"));
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Post(value = "/logout", consumes = {MediaType.APPLICATION_FORM_URLENCODED, MediaType.ALL}, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> signOut(HttpRequest<?> request) {
        UiContext.session(request).ifPresent(sessions::revoke);
        String to = UiErrors.LOGIN + "?signed_out=1";
        Cookie gone = Cookie.of(UiSessions.COOKIE, "").httpOnly(true).sameSite(SameSite.Lax).path("/").maxAge(0);
        if (UiContext.isHtmx(request)) {
            return HttpResponse.noContent().header("HX-Redirect", to).cookie(gone);
        }
        return HttpResponse.seeOther(URI.create(to)).cookie(gone);
    }

    private HttpResponse<?> refused(String next, String message) {
        return HttpResponse.status(HttpStatus.UNAUTHORIZED)
                .body(UiContext.page("login", Layout.anonymous("Sign in", Flash.error(message)), new LoginPage(safeNext(next), message)));
    }

    /** Only a path of the dashboard itself (no open redirect). */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/ui/") || next.startsWith("//") || next.contains("\\")
                || next.startsWith(UiErrors.LOGIN) || next.chars().anyMatch(c -> c < 0x21)) {
            return HOME;
        }
        return next;
    }
}
