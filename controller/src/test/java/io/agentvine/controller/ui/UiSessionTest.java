package io.agentvine.controller.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.controller.TestProperties;
import io.agentvine.controller.ui.UiHttp.Reply;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's sign-in, session cookie, CSRF check and error answers, over real HTTP against a
 * controller on H2 (pages parsed with jsoup); and that a session outlives a controller restart.
 */
class UiSessionTest {
    private static final String ADMIN = "admin-key-ui";
    private static final String VIEWER = "viewer-key-ui";
    private static final String WORKER = "worker-key-ui";

    private Map<String, Object> settings;
    private EmbeddedServer server;
    private final UiHttp http = new UiHttp(() -> server.getURL().toString());

    @BeforeEach
    void start() {
        settings = new HashMap<>(TestProperties.onH2().adminKeys(ADMIN).with("agentvine.viewer-keys", VIEWER)
                .workerKeys("pool:" + WORKER + ":*").noBackground().build());
        settings.put("micronaut.server.port", -1);
        settings.put("agentvine.ui.session-check", "200ms");
        server = ApplicationContext.run(EmbeddedServer.class, settings);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void the_static_files_and_the_sign_in_page_are_open_and_carry_the_csp() {
        assertThat(http.page("/ui/assets/webjars/htmx.org/2.0.10/dist/htmx.min.js", null).status()).isEqualTo(200);
        assertThat(http.page("/ui/assets/app.js", null).status()).isEqualTo(200);
        assertThat(http.page("/ui/assets/app.css", null).status()).isEqualTo(200);
        Reply login = http.page("/ui/login", null);
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.header("Content-Security-Policy")).contains("script-src 'self'").doesNotContain("unsafe");
        Document d = login.html();
        assertThat(d.select("script:not([src])")).as("no inline script").isEmpty();
        assertThat(d.select("[style]")).as("no inline style").isEmpty();
        assertThat(d.select("input[name=key][type=password]")).hasSize(1);
    }

    @Test
    void without_a_session_a_page_redirects_to_sign_in_and_a_fragment_gets_401() {
        Reply page = http.page("/ui/fleet", null);
        assertThat(page.status()).isEqualTo(303);
        assertThat(page.header("Location")).isEqualTo("/ui/login?next=%2Fui%2Ffleet");
        Reply fragment = http.htmx("GET", "/ui/fleet/cards", null, null);
        assertThat(fragment.status()).isEqualTo(401);
        assertThat(fragment.header("HX-Redirect")).startsWith("/ui/login");
        assertThat(http.page("/ui", null).status()).isEqualTo(303);
        assertThat(http.htmx("POST", "/ui/logout", null, null).status()).isEqualTo(401);
        assertThat(http.page("/ui/fleet", "forged-session-id").status()).isEqualTo(303);
    }

    @Test
    void a_wrong_or_worker_key_is_refused_with_the_same_message_and_no_cookie() {
        for (String key : new String[] {"nope", WORKER, ""}) {
            Reply r = http.signIn(key);
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.sessionCookie()).isNull();
            assertThat(r.html().select("#key-error").text()).startsWith("key: ");
            assertThat(r.body()).doesNotContain(WORKER);
        }
    }

    @Test
    void an_admin_signs_in_gets_an_http_only_cookie_and_the_fleet_page_with_the_csrf_token() {
        Reply in = http.signIn(ADMIN);
        assertThat(in.status()).isEqualTo(303);
        assertThat(in.header("Location")).isEqualTo("/ui/fleet");
        assertThat(in.setCookie()).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax").contains("Path=/")
                .contains("Max-Age=43200");
        String cookie = in.sessionCookie();
        assertThat(cookie).hasSizeGreaterThanOrEqualTo(43);

        Reply fleet = http.page("/ui/fleet", cookie);
        assertThat(fleet.status()).isEqualTo(200);
        Document d = fleet.html();
        assertThat(d.select("meta[name=csrf-token]").attr("content")).isNotBlank();
        assertThat(d.select("nav a").eachText()).contains("Fleet", "Queue", "Tasks", "New task");
        assertThat(d.select(".who").text()).contains("admin-1");
        assertThat(d.select("#slots-total .stat-value").text()).isEqualTo("0/0");
        // The page asks for nothing: its stream carries the badge's events and the cards, pushed (FleetCardsFeedTest).
        assertThat(d.select("body").attr("data-events")).isEqualTo("/ui/fleet/stream");
        assertThat(d.select("#fleet").hasAttr("data-cards")).isTrue();
        assertThat(d.select("#fleet").attr("hx-trigger")).isEmpty();
        assertThat(fleet.body()).doesNotContain(ADMIN).doesNotContain(cookie);

        // The cookie also reads the API (an EventSource cannot send a bearer key).
        assertThat(http.send("GET", "/api/v1/workers", cookie, null, Map.of()).status()).isEqualTo(200);
    }

    @Test
    void a_change_with_the_cookie_needs_the_csrf_token() {
        String cookie = http.signIn(ADMIN).sessionCookie();
        String csrf = http.page("/ui/fleet", cookie).html().select("meta[name=csrf-token]").attr("content");

        Reply none = http.htmx("POST", "/ui/workers/w-unknown/pause", cookie, null);
        assertThat(none.status()).isEqualTo(403);
        assertThat(none.header("HX-Reswap")).isEqualTo("none");
        assertThat(none.header("HX-Trigger-After-Swap")).contains("\"av-flash\"").contains("X-CSRF-Token");
        assertThat(none.html().select(".flash-error").text()).contains("X-CSRF-Token");
        assertThat(http.htmx("POST", "/ui/workers/w-unknown/pause", cookie, "wrong").status()).isEqualTo(403);

        Reply api = http.send("POST", "/api/v1/tasks", cookie, "{}", Map.of("Content-Type", "application/json"));
        assertThat(api.status()).isEqualTo(403);
        assertThat(api.body()).contains("\"field\":\"csrf\"");

        Reply unknown = http.htmx("POST", "/ui/workers/w-unknown/pause", cookie, csrf);
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);
        assertThat(unknown.html().select(".flash-error").text()).contains("w-unknown");
        assertThat(unknown.body()).doesNotContain("Exception").doesNotContain("\tat ");

        Reply page = http.send("POST", "/ui/workers/w-unknown/pause", cookie, null,
                Map.of("Accept", "text/html", "X-CSRF-Token", csrf));
        assertThat(page.status()).isEqualTo(404);
        assertThat(page.html().select(".error-page h1").text()).startsWith("404");
    }

    @Test
    void a_viewer_reads_but_is_refused_every_change() {
        String cookie = http.signIn(VIEWER).sessionCookie();
        Document d = http.page("/ui/fleet", cookie).html();
        String csrf = d.select("meta[name=csrf-token]").attr("content");
        assertThat(d.select("nav a").eachText()).doesNotContain("New task");
        Reply r = http.htmx("POST", "/ui/workers/w-unknown/drain", cookie, csrf);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body()).contains("Key 'viewer-1' is a viewer key: only an admin key may do this.");
        assertThat(http.send("POST", "/api/v1/workers/w-unknown/drain", cookie, null, Map.of("X-CSRF-Token", csrf)).status())
                .isEqualTo(403);
    }

    @Test
    void sign_out_revokes_the_session_and_a_session_outlives_a_restart() {
        String admin = http.signIn(ADMIN).sessionCookie();
        String viewer = http.signIn(VIEWER).sessionCookie();
        String csrf = http.page("/ui/fleet", viewer).html().select("meta[name=csrf-token]").attr("content");

        server.close();
        server = ApplicationContext.run(EmbeddedServer.class, settings);
        assertThat(http.page("/ui/fleet", admin).status()).as("kept in the database").isEqualTo(200);

        Reply out = http.htmx("POST", "/ui/logout", viewer, csrf);
        assertThat(out.status()).isEqualTo(204);
        assertThat(out.header("HX-Redirect")).isEqualTo("/ui/login?signed_out=1");
        assertThat(out.setCookie()).contains("Max-Age=0");
        assertThat(http.page("/ui/fleet", viewer).status()).as("revoked").isEqualTo(303);
        assertThat(http.page("/ui/fleet", admin).status()).isEqualTo(200);
    }

    @Test
    void a_sessions_event_streams_end_with_a_signed_out_frame_once_it_is_signed_out_and_others_go_on() throws Exception {
        String viewer = http.signIn(VIEWER).sessionCookie();
        String admin = http.signIn(ADMIN).sessionCookie();
        String csrf = http.page("/ui/fleet", viewer).html().select("meta[name=csrf-token]").attr("content");
        ExecutorService readers = Executors.newCachedThreadPool();
        try {
            CountDownLatch opened = new CountDownLatch(3);
            Future<List<String>> events = readers.submit(() -> readStream("/api/v1/events", viewer, opened));
            Future<List<String>> fleet = readers.submit(() -> readStream("/ui/fleet/stream", viewer, opened));
            Future<List<String>> other = readers.submit(() -> readStream("/api/v1/events", admin, opened));
            assertThat(opened.await(30, TimeUnit.SECONDS)).isTrue();

            assertThat(http.htmx("POST", "/ui/logout", viewer, csrf).status()).isEqualTo(204);
            for (Future<List<String>> ended : List.of(events, fleet)) {
                List<String> lines = ended.get(30, TimeUnit.SECONDS); // the stream ended
                assertThat(lines).contains("event: signed-out");
                assertThat(lines.get(lines.size() - 1)).as("the last frame").isEqualTo("data: {}");
            }
            assertThat(other.isDone()).as("the admin's session still holds: its stream goes on").isFalse();

            String adminCsrf = http.page("/ui/fleet", admin).html().select("meta[name=csrf-token]").attr("content");
            assertThat(http.htmx("POST", "/ui/logout", admin, adminCsrf).status()).isEqualTo(204);
            assertThat(other.get(30, TimeUnit.SECONDS)).contains("event: signed-out");
        } finally {
            readers.shutdownNow();
        }
    }

    /** The non-blank lines of an event stream opened with {@code cookie}, until it ends; {@code opened} counted down at its first line. */
    private List<String> readStream(String path, String cookie, CountDownLatch opened) throws Exception {
        java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(URI.create(server.getURL() + path))
                .header("Cookie", "agentvine_session=" + cookie).header("Accept", "text/event-stream").build();
        HttpResponse<Stream<String>> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> lines = new ArrayList<>();
        try (Stream<String> body = r.body()) {
            body.filter(l -> !l.isBlank()).forEach(l -> {
                if (lines.isEmpty()) {
                    opened.countDown();
                }
                lines.add(l);
            });
        }
        return lines;
    }

    @Test
    void next_only_ever_points_into_the_dashboard() {
        assertThat(LoginController.safeNext("/ui/queue?type=docs")).isEqualTo("/ui/queue?type=docs");
        assertThat(LoginController.safeNext("https://evil.example/")).isEqualTo("/ui/fleet");
        assertThat(LoginController.safeNext("//evil.example/ui/")).isEqualTo("/ui/fleet");
        assertThat(LoginController.safeNext("/ui/\\evil")).isEqualTo("/ui/fleet");
        assertThat(LoginController.safeNext(null)).isEqualTo("/ui/fleet");
    }
}
