package io.agentvine.controller;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.controller.TestHttp.Reply;
import io.agentvine.controller.security.Roles;
import io.agentvine.model.Json;
import io.micronaut.context.env.Environment;
import io.micronaut.core.annotation.AnnotationMetadata;
import io.micronaut.management.endpoint.annotation.Endpoint;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Authorization is denied by default. Walks every route the router knows: each must declare who may
 * call it ({@code @Secured} on its method, or an explicit {@code sensitive: false} for the open
 * management endpoints), agree with the table below, and answer every kind of caller accordingly. A
 * route without a declaration (the test-only {@link UndeclaredRouteController}) is found by the sweep
 * and refused even to an admin key.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouteAuthorizationTest implements TestPropertyProvider {
    private static final String ADMIN_KEY = "admin-key-routes";
    private static final String VIEWER_KEY = "viewer-key-routes";
    private static final String FEATURE_KEY = "feature-worker-key-routes";
    private static final String DOCS_KEY = "docs-worker-key-routes";
    private static final List<String> ALL_KEYS = List.of(ADMIN_KEY, VIEWER_KEY, FEATURE_KEY, DOCS_KEY);
    /** A route anyone may call, with or without a key. */
    private static final String OPEN = "anyone";
    private static final String UNDECLARED = "GET /api/v1/test-undeclared";

    private static final Set<String> ADMIN = Set.of(Roles.ADMIN);
    private static final Set<String> READERS = Set.of(Roles.ADMIN, Roles.VIEWER);
    private static final Set<String> WORKERS = Set.of(Roles.ADMIN, Roles.WORKER);

    /** Who may call what: the declarations must say this, and the server must do it. */
    private static final Map<String, Set<String>> WHO = Map.ofEntries(
            entry("POST /api/v1/tasks", ADMIN),
            entry("GET /api/v1/tasks", READERS),
            entry("GET /api/v1/tasks/{id}", READERS),
            entry("PATCH /api/v1/tasks/{id}", ADMIN),
            entry("DELETE /api/v1/tasks/{id}", ADMIN),
            entry("POST /api/v1/tasks/{id}/retry", ADMIN),
            entry("POST /api/v1/tasks/{id}/follow-ups", ADMIN),
            entry("PUT /api/v1/tasks/{id}/agent-session", WORKERS),
            entry("GET /api/v1/tasks/{id}/agent-session", WORKERS),
            entry("POST /api/v1/integrations/github/webhook", Set.of(OPEN)),
            entry("POST /api/v1/tasks/{id}/move", ADMIN),
            entry("GET /api/v1/tasks/{id}/log", READERS),
            entry("GET /api/v1/tasks/{id}/log/stream", READERS),
            entry("POST /api/v1/tasks/bulk/cancel", ADMIN),
            entry("POST /api/v1/tasks/bulk/retry", ADMIN),
            entry("POST /api/v1/workers", WORKERS),
            entry("POST /api/v1/workers/{id}/heartbeat", WORKERS),
            entry("DELETE /api/v1/workers/{id}", WORKERS),
            entry("GET /api/v1/workers", READERS),
            entry("GET /api/v1/workers/{id}", Set.of(Roles.ADMIN, Roles.VIEWER, Roles.WORKER)),
            entry("POST /api/v1/workers/{id}/pause", ADMIN),
            entry("POST /api/v1/workers/{id}/resume", ADMIN),
            entry("POST /api/v1/workers/{id}/drain", ADMIN),
            entry("GET /api/v1/queue", READERS),
            entry("GET /api/v1/queue/{type}", READERS),
            entry("POST /api/v1/queue/{type}/pause", ADMIN),
            entry("POST /api/v1/queue/{type}/resume", ADMIN),
            entry("GET /api/v1/repositories/paused", READERS),
            entry("POST /api/v1/repositories/pause", ADMIN),
            entry("POST /api/v1/repositories/resume", ADMIN),
            entry("GET /api/v1/budgets", READERS),
            entry("PUT /api/v1/budgets/{scope}/{key}", ADMIN),
            entry("POST /api/v1/budgets/{scope}/{key}/resume", ADMIN),
            entry("GET /api/v1/clarifications", READERS),
            entry("GET /api/v1/clarifications/{id}", READERS),
            entry("POST /api/v1/clarifications/{id}/answer", ADMIN),
            entry("GET /api/v1/events", READERS),
            entry("GET /api/v1/reports/workers", READERS),
            entry("GET /api/v1/reports/models", READERS),
            entry("GET /api/v1/reports/types", READERS),
            entry("GET /api/v1/reports/repositories", READERS),
            entry("GET /api/v1/reports/daily", READERS),
            entry("GET /metrics", Set.of(OPEN)),
            entry("GET /health", Set.of(OPEN)),
            entry("GET /health/{selector}", Set.of(OPEN)),
            entry("GET /prometheus", Set.of(OPEN)));

    /** A presented Authorization header and the role it should earn (null: none, a 401 where a key is needed). */
    private record Presented(String what, String header, String role) {
    }

    private static final List<Presented> CALLERS = List.of(
            new Presented("no Authorization header", null, null),
            new Presented("a key without the Bearer scheme", ADMIN_KEY, null),
            new Presented("Basic credentials", "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_KEY)
                    .getBytes(StandardCharsets.UTF_8)), null),
            new Presented("Bearer without a key", "Bearer", null),
            new Presented("an unknown key", "Bearer not-a-configured-key", null),
            new Presented("an admin key with a suffix", "Bearer " + ADMIN_KEY + "x", null),
            new Presented("a viewer key", "Bearer " + VIEWER_KEY, Roles.VIEWER),
            new Presented("a worker key", "Bearer " + FEATURE_KEY, Roles.WORKER),
            new Presented("an admin key", "Bearer " + ADMIN_KEY, Roles.ADMIN));

    @Inject
    EmbeddedServer server;

    @Inject
    Router router;

    @Inject
    Environment environment;

    private final TestHttp http = new TestHttp(() -> server.getURI().toString());

    @Override
    public Map<String, String> getProperties() {
        return TestProperties.onH2().adminKeys(ADMIN_KEY).with("agentvine.viewer-keys", VIEWER_KEY)
                .workerKeys("feature-pool:" + FEATURE_KEY + ":feature|bugfix,docs-pool:" + DOCS_KEY + ":docs").noBackground()
                .with("test.undeclared-route", "true").build();
    }

    // ---- the sweep --------------------------------------------------------------------------------

    @Test
    void every_route_declares_who_may_call_it_and_the_declarations_match_the_table() {
        Map<String, Optional<Set<String>>> declared = routes();
        assertThat(declared.entrySet().stream().filter(r -> r.getValue().isEmpty()).map(Map.Entry::getKey))
                .as("routes without a declaration (only the test-only one, and its HEAD twin, may lack it)")
                .containsExactlyInAnyOrder(UNDECLARED, "HEAD" + UNDECLARED.substring(3));
        Map<String, Set<String>> rules = new TreeMap<>();
        Map<String, Set<String>> expected = new TreeMap<>();
        declared.forEach((route, rule) -> rule.ifPresent(r -> {
            rules.put(route, r);
            expected.put(route, expected(route));
        }));
        assertThat(rules).as("every route's declaration, against the table of who may call what").isEqualTo(expected);
        assertThat(rules.keySet()).as("every route of the table exists").containsAll(WHO.keySet());
    }

    @Test
    void every_route_answers_each_kind_of_caller_as_declared() throws Exception {
        SoftAssertions softly = new SoftAssertions();
        for (String route : routes().keySet()) {
            if (route.endsWith(UNDECLARED.substring(4))) {
                continue; // a_route_without_a_declaration_is_refused_even_to_an_admin
            }
            Set<String> who = expected(route);
            String method = route.substring(0, route.indexOf(' '));
            String path = concrete(route.substring(method.length() + 1));
            boolean head = method.equals("HEAD");
            for (Presented caller : CALLERS) {
                Reply a = send(method, path, caller.header());
                String as = route + " with " + caller.what() + " -> " + a.status() + " " + a.body();
                if (who.contains(OPEN) || (caller.role() != null && who.contains(caller.role()))) {
                    softly.assertThat(a.status()).as(as).isNotIn(401, 403).isLessThan(500);
                } else if (caller.role() == null) {
                    softly.assertThat(a.status()).as(as).isEqualTo(401);
                    softly.assertThat(a.wwwAuthenticate()).as(as).isEqualTo("Bearer");
                    if (!head) {
                        softly.assertThat(a.json()).as(as).containsEntry("error", "unauthorized")
                                .containsEntry("field", "authorization");
                    }
                } else {
                    softly.assertThat(a.status()).as(as).isEqualTo(403);
                    if (!head) {
                        softly.assertThat(a.json()).as(as).containsEntry("error", "forbidden")
                                .containsEntry("field", "authorization");
                        softly.assertThat(a.body()).as(as).contains(route).contains("is a " + caller.role() + " key");
                    }
                }
                for (String key : ALL_KEYS) {
                    softly.assertThat(a.body()).as(as + ": no key is echoed").doesNotContain(key);
                }
            }
        }
        softly.assertAll();
    }

    @Test
    void a_route_without_a_declaration_is_refused_even_to_an_admin() throws Exception {
        Reply admin = send("GET", "/api/v1/test-undeclared", "Bearer " + ADMIN_KEY);
        assertThat(admin.status()).isEqualTo(403);
        assertThat(admin.json()).containsEntry("error", "forbidden").containsEntry("field", "authorization");
        assertThat(admin.body()).contains("declares no access rule").doesNotContain(UndeclaredRouteController.REACHED);
        assertThat(send("GET", "/api/v1/test-undeclared", null).status()).isEqualTo(401);
        assertThat(send("GET", "/api/v1/test-undeclared", "Bearer " + VIEWER_KEY).status()).isEqualTo(403);
    }

    // ---- the checks on the data: a worker key's types and its own workers -------------------------

    @Test
    void a_worker_key_registers_only_for_its_types_and_acts_only_on_its_own_workers() throws Exception {
        Reply wrongType = send("POST", "/api/v1/workers", "Bearer " + FEATURE_KEY, registration("docs"));
        assertThat(wrongType.status()).as(wrongType.body()).isEqualTo(403);
        assertThat(wrongType.body()).contains("feature-pool").contains("docs");
        assertThat(wrongType.json()).containsEntry("field", "worker_types");
        assertThat(send("POST", "/api/v1/workers", "Bearer " + DOCS_KEY, registration("feature")).status()).isEqualTo(403);
        assertThat(send("POST", "/api/v1/workers", "Bearer " + VIEWER_KEY, registration("docs")).status()).isEqualTo(403);

        String docsWorker = register(DOCS_KEY, "docs");
        String featureWorker = register(FEATURE_KEY, "bugfix");
        for (String[] other : new String[][] {{FEATURE_KEY, docsWorker}, {DOCS_KEY, featureWorker}}) {
            String key = "Bearer " + other[0];
            String id = other[1];
            Reply beat = send("POST", "/api/v1/workers/" + id + "/heartbeat", key, heartbeat(id));
            assertThat(beat.status()).as(beat.body()).isEqualTo(403);
            assertThat(beat.body()).contains("does not own worker " + id);
            assertThat(beat.json()).containsEntry("field", "authorization");
            assertThat(send("GET", "/api/v1/workers/" + id, key).status()).isEqualTo(403);
            assertThat(send("DELETE", "/api/v1/workers/" + id, key).status()).isEqualTo(403);
        }
        // Both workers are still there and answer their own keys; operators' keys read them.
        assertThat(send("POST", "/api/v1/workers/" + docsWorker + "/heartbeat", "Bearer " + DOCS_KEY, heartbeat(docsWorker))
                .status()).isEqualTo(200);
        assertThat(send("GET", "/api/v1/workers/" + featureWorker, "Bearer " + FEATURE_KEY).json())
                .containsEntry("health", "healthy");
        assertThat(send("GET", "/api/v1/workers/" + docsWorker, "Bearer " + VIEWER_KEY).json()).containsEntry("id", docsWorker);
        assertThat(send("POST", "/api/v1/workers/" + docsWorker + "/heartbeat", "Bearer " + VIEWER_KEY, heartbeat(docsWorker))
                .status()).isEqualTo(403);
        assertThat(send("DELETE", "/api/v1/workers/" + docsWorker, "Bearer " + DOCS_KEY).status()).isEqualTo(204);
    }

    @Test
    void a_viewer_reads_what_an_operator_reads_and_changes_nothing() throws Exception {
        Reply created = send("POST", "/api/v1/tasks", "Bearer " + ADMIN_KEY, Json.write(Map.of("type", "docs",
                "repository_url", "https://git.example.com/a/b.git", "title", "Viewer sees this")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = (String) created.json().get("id");
        String viewer = "Bearer " + VIEWER_KEY;
        assertThat(send("GET", "/api/v1/tasks/" + id, viewer).json()).containsEntry("state", "queued");
        assertThat(send("GET", "/api/v1/tasks?state=queued", viewer).body()).contains(id);
        assertThat(send("GET", "/api/v1/queue", viewer).body()).contains(id);
        assertThat(send("DELETE", "/api/v1/tasks/" + id, viewer).status()).isEqualTo(403);
        assertThat(send("POST", "/api/v1/queue/docs/pause", viewer).status()).isEqualTo(403);
        String everyQueued = Json.write(Map.of("filter", Map.of("state", "queued")));
        assertThat(send("POST", "/api/v1/tasks/bulk/cancel", viewer, everyQueued).status()).isEqualTo(403);
        assertThat(send("POST", "/api/v1/tasks/bulk/retry", viewer, everyQueued).status()).isEqualTo(403);
        assertThat(send("GET", "/api/v1/tasks/" + id, viewer).json()).containsEntry("state", "queued");
        assertThat(send("GET", "/api/v1/queue", viewer).body()).contains("\"paused\":false");
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** Who may call a route, from the table; a HEAD route (Micronaut adds one per GET) as its GET. */
    private static Set<String> expected(String route) {
        String key = route.startsWith("HEAD ") ? "GET " + route.substring(5) : route;
        return WHO.getOrDefault(key, Set.of("(not in the table)"));
    }

    /** Every route the router knows, as "METHOD /template", with what it declares (empty: nothing). */
    private Map<String, Optional<Set<String>>> routes() {
        Map<String, Optional<Set<String>>> out = new TreeMap<>();
        // The dashboard's routes (/ui, cookie sessions, HTML answers) have their own table: ui.UiRouteAuthorizationTest.
        router.uriRoutes().filter(r -> !r.getUriMatchTemplate().toString().startsWith("/ui"))
                .forEach(r -> out.put(r.getHttpMethodName() + " " + r.getUriMatchTemplate(), declaration(r)));
        return out;
    }

    /**
     * What a route declares: the roles of the {@code @Secured} on its own method (a class-level one
     * does not count: a new method must say who may call it), or {@link #OPEN} for a management
     * endpoint the configuration explicitly marks {@code sensitive: false}.
     */
    private Optional<Set<String>> declaration(UriRouteInfo<?, ?> route) {
        AnnotationMetadata method = route.getTargetMethod().getAnnotationMetadata();
        if (method.hasDeclaredAnnotation(Secured.class)) {
            return Optional.of(Set.of(method.stringValues(Secured.class)).stream()
                    .map(v -> v.equals(SecurityRule.IS_ANONYMOUS) ? OPEN : v).collect(Collectors.toSet()));
        }
        if (method.hasStereotype(Endpoint.class)) {
            String id = method.stringValue(Endpoint.class, "id").orElseGet(() -> method.stringValue(Endpoint.class).orElseThrow());
            return environment.getProperty("endpoints." + id + ".sensitive", Boolean.class)
                    .filter(sensitive -> !sensitive).map(open -> Set.of(OPEN));
        }
        return Optional.empty();
    }

    /** A path for a route template, every variable a value that names nothing. */
    private static String concrete(String template) {
        return template.replaceAll("\\{[^}]+}", "zz-none");
    }

    private String register(String key, String type) throws Exception {
        Reply a = send("POST", "/api/v1/workers", "Bearer " + key, registration(type));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        return (String) a.json().get("worker_id");
    }

    private static String registration(String type) {
        return Json.write(Map.of("name", "w-" + type, "worker_types", List.of(type), "version", "1.0.0",
                "max_concurrent_tasks", 1));
    }

    private static String heartbeat(String id) {
        return Json.write(Map.of("worker_id", id, "status", "idle", "current_tasks", List.of(),
                "sent_at", Instant.now().toString()));
    }

    private Reply send(String method, String path, String authorization) {
        boolean withBody = method.equals("POST") || method.equals("PATCH") || method.equals("PUT");
        return send(method, path, authorization, withBody ? "{}" : null);
    }

    private Reply send(String method, String path, String authorization, String body) {
        return http.send(method, path, authorization, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                body == null ? Map.of() : TestHttp.JSON);
    }
}
