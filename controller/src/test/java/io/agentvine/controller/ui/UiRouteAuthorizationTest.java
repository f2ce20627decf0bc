package io.agentvine.controller.ui;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.controller.TestProperties;
import io.agentvine.controller.security.Roles;
import io.agentvine.controller.ui.UiHttp.Reply;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.annotation.AnnotationMetadata;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.web.router.Router;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every dashboard route (/ui/**) declares who may call it, agrees with the table below, and answers
 * accordingly: without a session a page is redirected to sign-in and a fragment or a change gets 401;
 * a viewer's session reads every page and is refused every change (403); an admin's session passes.
 * A new /ui route must be added here (the sweep fails otherwise).
 */
class UiRouteAuthorizationTest {
    private static final String ADMIN_KEY = "admin-key-ui-routes";
    private static final String VIEWER_KEY = "viewer-key-ui-routes";
    private static final String ANYONE = "anyone";
    private static final Set<String> READERS = Set.of(Roles.ADMIN, Roles.VIEWER);
    private static final Set<String> ADMIN = Set.of(Roles.ADMIN);

    private static final Map<String, Set<String>> WHO = Map.ofEntries(
            entry("GET /ui", READERS),
            entry("GET /ui/login", Set.of(ANYONE)),
            entry("POST /ui/login", Set.of(ANYONE)),
            entry("POST /ui/logout", READERS),
            entry("GET /ui/fleet", READERS),
            entry("GET /ui/fleet/cards", READERS),
            entry("GET /ui/fleet/stream", READERS),
            entry("POST /ui/workers/{id}/{command}", ADMIN),
            entry("GET /ui/queue", READERS),
            entry("GET /ui/queue/lists", READERS),
            entry("POST /ui/queue/tasks/{id}/move", ADMIN),
            entry("POST /ui/queue/tasks/{id}/cancel", ADMIN),
            entry("POST /ui/queue/tasks/{id}/priority", ADMIN),
            entry("POST /ui/queue/{type}/pause", ADMIN),
            entry("POST /ui/queue/{type}/resume", ADMIN),
            entry("GET /ui/attention", READERS),
            entry("GET /ui/attention/list", READERS),
            entry("GET /ui/attention/count", READERS),
            entry("POST /ui/attention/{id}/answer", ADMIN),
            entry("GET /ui/tasks", READERS),
            entry("GET /ui/tasks/rows", READERS),
            entry("GET /ui/tasks/{id}/row", READERS),
            entry("POST /ui/tasks/bulk/cancel", ADMIN),
            entry("POST /ui/tasks/bulk/retry", ADMIN),
            entry("GET /ui/tasks/{id}", READERS),
            entry("GET /ui/tasks/{id}/panel", READERS),
            entry("POST /ui/tasks/{id}/cancel", ADMIN),
            entry("POST /ui/tasks/{id}/retry", ADMIN),
            entry("POST /ui/tasks/{id}/priority", ADMIN),
            entry("POST /ui/tasks/{id}/clarifications/{clarificationId}/answer", ADMIN),
            entry("GET /ui/tasks/new", ADMIN),
            entry("POST /ui/tasks/new", ADMIN),
            entry("GET /ui/costs", READERS));

    private static EmbeddedServer server;
    private static final UiHttp http = new UiHttp(() -> server.getURL().toString());

    @BeforeAll
    static void start() {
        Map<String, Object> settings = new HashMap<>(TestProperties.onH2().adminKeys(ADMIN_KEY)
                .with("agentvine.viewer-keys", VIEWER_KEY).noBackground().build());
        settings.put("micronaut.server.port", -1);
        server = ApplicationContext.run(EmbeddedServer.class, settings);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Map<String, Set<String>> routes() {
        Map<String, Set<String>> out = new TreeMap<>();
        server.getApplicationContext().getBean(Router.class).uriRoutes()
                .filter(r -> r.getUriMatchTemplate().toString().startsWith("/ui"))
                .filter(r -> !r.getHttpMethodName().equals("HEAD"))
                .forEach(r -> {
                    AnnotationMetadata m = r.getTargetMethod().getAnnotationMetadata();
                    Set<String> rule = m.hasDeclaredAnnotation(Secured.class)
                            ? Set.of(m.stringValues(Secured.class)).stream()
                                    .map(v -> v.equals(SecurityRule.IS_ANONYMOUS) ? ANYONE : v).collect(java.util.stream.Collectors.toSet())
                            : Set.of();
                    out.put(r.getHttpMethodName() + " " + r.getUriMatchTemplate(), rule);
                });
        return out;
    }

    @Test
    void every_ui_route_declares_who_may_call_it_as_the_table_says() {
        assertThat(routes()).isEqualTo(new TreeMap<>(WHO));
    }

    @Test
    void every_ui_route_answers_no_session_a_viewer_and_an_admin_as_declared() {
        String admin = http.signIn(ADMIN_KEY).sessionCookie();
        String viewer = http.signIn(VIEWER_KEY).sessionCookie();
        String adminCsrf = http.page("/ui/fleet", admin).html().select("meta[name=csrf-token]").attr("content");
        String viewerCsrf = http.page("/ui/fleet", viewer).html().select("meta[name=csrf-token]").attr("content");
        SoftAssertions softly = new SoftAssertions();
        routes().forEach((route, who) -> {
            String method = route.substring(0, route.indexOf(' '));
            String path = route.substring(method.length() + 1).replaceAll("\\{[^}]+}", "zz-none");
            if (who.contains(ANYONE)) {
                return;
            }
            boolean get = method.equals("GET");
            if (get && path.endsWith("/stream")) {
                // An event stream (EventSource asks for text/event-stream): a browser's page request is refused as such.
                softly.assertThat(http.page(path, null).status()).as(route + " as a page").isEqualTo(406);
            } else if (get) {
                Reply page = http.page(path, null);
                softly.assertThat(page.status()).as(route + " as a page without a session").isEqualTo(303);
                softly.assertThat(page.header("Location")).as(route).startsWith("/ui/login");
            }
            Reply fragment = http.htmx(method, path, null, null);
            softly.assertThat(fragment.status()).as(route + " from htmx without a session").isEqualTo(401);
            softly.assertThat(fragment.header("HX-Redirect")).as(route).startsWith("/ui/login");

            if (route.equals("POST /ui/logout")) {
                return; // it would end the sessions the sweep goes on with (UiSessionTest signs out)
            }
            Reply asViewer = http.htmx(method, path, viewer, viewerCsrf);
            Reply asAdmin = http.htmx(method, path, admin, adminCsrf);
            if (who.contains(Roles.VIEWER)) {
                softly.assertThat(asViewer.status()).as(route + " as a viewer: " + asViewer.body()).isNotIn(401, 403).isLessThan(500);
            } else {
                softly.assertThat(asViewer.status()).as(route + " as a viewer").isEqualTo(403);
                softly.assertThat(asViewer.body()).as(route).contains("is a viewer key: only an admin key may do this");
            }
            softly.assertThat(asAdmin.status()).as(route + " as an admin: " + asAdmin.body()).isNotIn(401, 403).isLessThan(500);
            if (!get) {
                Reply noCsrf = http.htmx(method, path, admin, null);
                softly.assertThat(noCsrf.status()).as(route + " as an admin without the CSRF token").isEqualTo(403);
            }
            for (String r : new String[] {asViewer.body(), asAdmin.body(), fragment.body()}) {
                softly.assertThat(r).as(route + ": no key echoed").doesNotContain(ADMIN_KEY).doesNotContain(VIEWER_KEY);
            }
        });
        softly.assertAll();
    }
}
