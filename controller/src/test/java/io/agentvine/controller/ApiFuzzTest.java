package io.agentvine.controller;

import static io.agentvine.controller.TestHttp.enc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.agentvine.controller.ApiFuzz.Case;
import io.agentvine.controller.ApiFuzz.Kind;
import io.agentvine.controller.TestHttp.Reply;
import io.agentvine.model.Json;
import io.agentvine.queue.WorkQueue;
import io.micronaut.web.router.Router;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes every route the router knows, as the real server sees them: bad body fields (wrong types,
 * unknown fields, nasty text and numbers), bad bodies as a whole, path variables, query values and
 * headers, from a printed seed (set -Dagentvine.fuzz.seed=N to replay). Nothing may answer 5xx, every
 * 4xx must be JSON naming the field, and every 2xx is checked: what was stored is what was sent.
 */
abstract class ApiFuzzTest extends StrictInputApiTest {
    private static final int RANDOM_CASES = 700;

    @Inject
    Router router;

    @Inject
    WorkQueue queue;

    private ApiFuzz fuzz;
    private StoredChecks stored;
    private String queuedTask;

    /** A JSON body route: its valid body, its fields, and how to check an accepted body. */
    private record BodySpec(String method, Function<ApiFuzz, String> path, String key, Supplier<Map<String, Object>> base,
                            Map<String, Kind> fields, Set<String> alsoNamed,
                            BiConsumer<Map<String, Object>, Reply> accepted) {
    }

    @Test
    void fuzzed_requests_on_every_route_get_no_5xx_a_named_field_for_every_4xx_and_only_valid_values_accepted() {
        long seed = Long.getLong("agentvine.fuzz.seed", System.nanoTime());
        System.out.println("ApiFuzzTest seed: " + seed + " (replay with -Dagentvine.fuzz.seed=" + seed + ")");
        fuzz = new ApiFuzz(seed);
        stored = new StoredChecks(path -> send("GET", path, ADMIN, null).json(), queue);
        queuedTask = (String) send("POST", "/api/v1/tasks", ADMIN, json(task())).json().get("id");

        Map<String, BodySpec> bodies = bodySpecs();
        Map<String, Function<ApiFuzz, Case>> generators = generators(bodies);
        Set<String> routes = new TreeSet<>();
        // The dashboard's routes (/ui: cookie sessions, forms, HTML answers) are tested by ui.UiRouteAuthorizationTest,
        // ui.UiSessionTest and the pages' rendering tests.
        router.uriRoutes().filter(r -> !r.getUriMatchTemplate().toPathString().startsWith("/ui"))
                .forEach(r -> routes.add(r.getHttpMethodName() + " " + r.getUriMatchTemplate().toPathString()));
        List<String> missing = routes.stream().filter(r -> !generators.containsKey(r)).toList();
        assertThat(missing).as("routes without fuzz cases: add them to ApiFuzzTest").isEmpty();

        List<Case> cases = new ArrayList<>(handListed());
        List<String> routeList = new ArrayList<>(routes);
        for (int i = 0; i < RANDOM_CASES; i++) {
            Case c = generators.get(fuzz.pick(routeList)).apply(fuzz);
            // Only /api/v1 needs a key: health, metrics and the OpenAPI document are open.
            cases.add(c.path().startsWith("/api/v1") && fuzz.chance(15) ? withBadAuthorization(c, fuzz) : c);
        }
        List<String> failures = new ArrayList<>();
        int refused = 0;
        for (Case c : cases) {
            Reply r = send(c.method(), c.path(), c.key(), c.body(), c.headers());
            String what = c.label() + " -> " + r.status() + " " + abbreviate(r.body());
            try {
                assertThat(r.status()).as("no 5xx").isLessThan(500);
                if (c.method().equals("HEAD")) {
                    assertThat(r.body()).as("a HEAD answer has no body").isEmpty();
                    if (c.mustRefuse()) {
                        assertThat(r.status()).as("refused").isGreaterThanOrEqualTo(400);
                    }
                } else if (r.status() >= 400) {
                    refused++;
                    assertThat(r.contentType()).as("JSON error").startsWith("application/json");
                    Object field = r.field();
                    assertThat(field).as("the error names a field").isNotNull();
                    if (!c.fields().isEmpty()) {
                        assertThat(c.fields().stream().anyMatch(f -> field.equals(f) || ((String) field).startsWith(f + ".")
                                || ((String) field).startsWith(f + "["))).as("the field named is one of " + c.fields()).isTrue();
                    }
                } else if (c.mustRefuse() || c.onAccepted() == null) {
                    fail("an invalid request was accepted");
                } else {
                    c.onAccepted().accept(r);
                }
            } catch (AssertionError e) {
                failures.add(what + ": " + e.getMessage().replace('\n', ' '));
            }
        }
        System.out.println("ApiFuzzTest: " + cases.size() + " requests over " + routes.size() + " routes, " + refused
                + " refused, " + failures.size() + " failures");
        assertThat(failures).as("seed " + seed).isEmpty();
        assertThat(cases.size()).isGreaterThanOrEqualTo(500);
    }

    /** The same request with an Authorization header that names no key: refused before anything else is read. */
    private static Case withBadAuthorization(Case c, ApiFuzz f) {
        String value = f.pick(List.of("", "Bearer", "Bearer ", "Bearer wrong-key", "bearer " + ADMIN + "x", "Bearer  " + ADMIN + " x",
                "Basic YWRtaW46YWRtaW4=", "Token " + ADMIN, ADMIN, "Bearer " + "k".repeat(5000), "Bearer %00",
                "Bearer ' OR 1=1 --", "Bearer ${jndi:ldap://x}", "Bearer,Bearer " + ADMIN));
        Map<String, String> headers = new LinkedHashMap<>(c.headers());
        headers.put("Authorization", value);
        String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
        // A request no route takes (unknown path or method, a media type the route does not take) is
        // answered as such before the key is looked at.
        return new Case(c.label() + " with Authorization '" + shown + "'", c.method(), c.path(), null, c.body(), headers,
                Set.of("authorization", "path", "method", "Content-Type", "Accept"), true, null);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    // ---- bodies -------------------------------------------------------------------------------

    private Map<String, BodySpec> bodySpecs() {
        Map<String, BodySpec> specs = new LinkedHashMap<>();
        Map<String, Kind> taskFields = new LinkedHashMap<>();
        for (String f : List.of("type", "repository_url", "branch", "title", "instructions", "priority", "permission_level",
                "test_command", "model_tier", "model", "idempotency_key")) {
            taskFields.put(f, Kind.TEXT);
        }
        taskFields.putAll(Map.of("budget", Kind.OBJECT, "budget.max_turns", Kind.INT, "budget.max_cost_usd", Kind.NUMBER,
                "budget.timeout_seconds", Kind.INT, "max_attempts", Kind.INT, "metadata", Kind.MAP));
        specs.put("POST /api/v1/tasks", new BodySpec("POST", f -> "/api/v1/tasks", ADMIN, StrictInputApiTest::task,
                taskFields, Set.of("type"), (sent, r) -> stored.task(sent, r)));

        Map<String, Kind> regFields = new LinkedHashMap<>(Map.of("schema_version", Kind.INT, "name", Kind.TEXT,
                "worker_types", Kind.LIST, "version", Kind.TEXT, "max_concurrent_tasks", Kind.INT, "specializations", Kind.LIST,
                "tools", Kind.LIST, "metadata", Kind.MAP));
        specs.put("POST /api/v1/workers", new BodySpec("POST", f -> "/api/v1/workers", WORKER_KEY,
                StrictInputApiTest::registration, regFields, Set.of("type"), (sent, r) -> stored.worker(sent, r)));

        Map<String, Kind> beatFields = new LinkedHashMap<>(Map.of("schema_version", Kind.INT, "worker_id", Kind.TEXT,
                "status", Kind.TEXT, "current_tasks", Kind.LIST, "sent_at", Kind.TEXT, "metrics", Kind.OBJECT,
                "metrics.cpu_percent", Kind.NUMBER, "metrics.memory_used_bytes", Kind.INT, "metadata", Kind.MAP));
        specs.put("POST /api/v1/workers/{id}/heartbeat", new BodySpec("POST", f -> "/api/v1/workers/" + workerId + "/heartbeat",
                WORKER_KEY, () -> heartbeat(workerId), beatFields, Set.of(), (sent, r) -> stored.beat(sent, r, workerId)));

        specs.put("PATCH /api/v1/tasks/{id}", new BodySpec("PATCH", f -> "/api/v1/tasks/" + queuedTask, ADMIN,
                () -> new LinkedHashMap<>(Map.of("priority", "P1")), Map.of("priority", Kind.TEXT), Set.of(),
                (sent, r) -> assertThat(stored.task(queuedTask)).containsEntry("priority", sent.get("priority"))));

        Map<String, Kind> bulkFields = new LinkedHashMap<>(Map.of("ids", Kind.LIST, "filter", Kind.OBJECT,
                "filter.state", Kind.TEXT, "filter.type", Kind.TEXT, "filter.repository", Kind.TEXT, "filter.q", Kind.TEXT,
                "dry_run", Kind.BOOL));
        for (String action : List.of("cancel", "retry")) {
            // A dry run: the fuzz must not cancel the task the other cases use.
            specs.put("POST /api/v1/tasks/bulk/" + action, new BodySpec("POST", f -> "/api/v1/tasks/bulk/" + action, ADMIN,
                    () -> new LinkedHashMap<>(Map.of("filter", new LinkedHashMap<>(Map.of("state", "queued")), "dry_run", true)),
                    bulkFields, Set.of("ids", "filter"), (sent, r) -> assertThat(r.json()).containsEntry("action", action)
                            .containsEntry("dry_run", true).containsEntry("changed", 0)));
        }

        Map<String, Kind> followFields = new LinkedHashMap<>();
        for (String f : List.of("instructions", "title", "type", "priority", "test_command", "model_tier", "model", "idempotency_key")) {
            followFields.put(f, Kind.TEXT);
        }
        followFields.putAll(Map.of("budget", Kind.OBJECT, "budget.max_turns", Kind.INT, "max_attempts", Kind.INT, "metadata", Kind.MAP));
        // each case its own parent: a chain's follow-ups are bounded
        specs.put("POST /api/v1/tasks/{id}/follow-ups", new BodySpec("POST", f -> "/api/v1/tasks/"
                + send("POST", "/api/v1/tasks", ADMIN, json(task())).json().get("id") + "/follow-ups", ADMIN,
                () -> new LinkedHashMap<>(Map.of("instructions", "Also handle the empty cart.",
                        "budget", new LinkedHashMap<>(Map.of("max_turns", 5)))), followFields, Set.of("id"),
                (sent, r) -> assertThat(r.json()).containsEntry("state", "waiting").containsEntry("created", true)));

        specs.put("PUT /api/v1/tasks/{id}/agent-session", new BodySpec("PUT", f -> "/api/v1/tasks/" + queuedTask + "/agent-session",
                WORKER_KEY, () -> new LinkedHashMap<>(Map.of("agent", "claude-code", "session_id", "s-1",
                        "archive", "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==")),
                Map.of("agent", Kind.TEXT, "session_id", Kind.TEXT, "archive", Kind.TEXT), Set.of("id"),
                (sent, r) -> assertThat(send("GET", "/api/v1/tasks/" + queuedTask + "/agent-session", WORKER_KEY, null).json())
                        .containsEntry("session_id", sent.get("session_id")).containsEntry("archive", sent.get("archive"))));

        specs.put("POST /api/v1/clarifications/{id}/answer", new BodySpec("POST", f -> "/api/v1/clarifications/c-none/answer",
                ADMIN, () -> new LinkedHashMap<>(Map.of("answer", "yes", "answered_by", "ops")),
                Map.of("answer", Kind.TEXT, "decision", Kind.TEXT, "answered_by", Kind.TEXT), Set.of("id"), null));

        // a repository no task of the fuzz uses: pausing it holds nothing back
        for (String action : List.of("pause", "resume")) {
            specs.put("POST /api/v1/repositories/" + action, new BodySpec("POST", f -> "/api/v1/repositories/" + action, ADMIN,
                    () -> new LinkedHashMap<>(Map.of("repository", "https://git.example.com/acme/fuzzed.git")),
                    Map.of("repository", Kind.TEXT), Set.of(), (sent, r) -> assertThat(r.json())
                            .containsEntry("paused", action.equals("pause"))));
        }
        specs.put("PUT /api/v1/budgets/{scope}/{key}", new BodySpec("PUT", f -> "/api/v1/budgets/type/docs", ADMIN,
                () -> new LinkedHashMap<>(Map.of("usd", 100, "tokens", 1_000_000)), Map.of("usd", Kind.NUMBER, "tokens", Kind.INT),
                Set.of("usd"), (sent, r) -> assertThat(r.json()).containsEntry("scope", "type").containsEntry("key", "docs")));
        return specs;
    }

    private Case bodyCase(BodySpec spec, ApiFuzz f) {
        String path = spec.path().apply(f);
        Map<String, Object> base = spec.base().get();
        Set<String> named = new TreeSet<>(spec.alsoNamed());
        int roll = f.pick(List.of(0, 1, 1, 1, 2, 2, 2, 3, 4, 5));
        String field = f.pick(new ArrayList<>(spec.fields().keySet()));
        Kind kind = spec.fields().get(field);
        Map<String, Object> body;
        boolean invalid;
        switch (roll) {
            case 0 -> { // the body as a whole
                String raw = f.pick(ApiFuzz.RAW_BODIES);
                return new Case(spec.method() + " " + path + " raw " + abbreviate(raw), spec.method(), path, spec.key(),
                        raw.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"), Set.of(), true, null);
            }
            case 1 -> { // a value of the wrong JSON type
                body = ApiFuzz.set(base, field, f.wrongType(kind));
                invalid = true;
            }
            case 2 -> { // nasty text or numbers of the right type
                Object value = switch (kind) {
                    case TEXT -> f.pick(ApiFuzz.NASTY_TEXT);
                    case INT -> f.pick(ApiFuzz.NASTY_INTS);
                    case NUMBER -> f.pick(ApiFuzz.NASTY_NUMBERS);
                    case LIST -> List.of(f.pick(ApiFuzz.NASTY_TEXT));
                    case MAP -> f.chance(50) ? nested(f.pick(List.of(3, 4, 5, 9))) : Map.of(f.pick(ApiFuzz.NASTY_TEXT), "v");
                    default -> Map.of();
                };
                body = ApiFuzz.set(base, field, value);
                invalid = kind == Kind.INT && !(value instanceof Integer || value instanceof Long);
            }
            case 3 -> { // an unknown field, at the top or inside a nested object
                String parent = spec.fields().entrySet().stream().filter(e -> e.getValue() == Kind.OBJECT)
                        .map(Map.Entry::getKey).findFirst().orElse(null);
                String unknown = (parent != null && f.chance(50) ? parent + "." : "") + f.unknownName();
                body = ApiFuzz.set(base, unknown, f.pick(List.of("x", 1, true)));
                field = unknown;
                invalid = true;
            }
            case 4 -> { // an odd Content-Type
                String type = f.pick(ApiFuzz.CONTENT_TYPES);
                Map<String, Object> sent = base;
                return new Case(spec.method() + " " + path + " Content-Type: " + type, spec.method(), path, spec.key(),
                        json(base), Map.of("Content-Type", type), union(spec.alsoNamed(), Set.of("Content-Type", "body")), false,
                        spec.accepted() == null ? null : r -> spec.accepted().accept(sent, r));
            }
            default -> { // too large
                body = ApiFuzz.set(base, field, "x".repeat(1_100_000));
                named.add("body");
                invalid = true;
            }
        }
        named.add(field);
        named.add(field.contains(".") ? field.substring(0, field.indexOf('.')) : field);
        if (kind == Kind.LIST) {
            named.add(field + "[0]");
        }
        Map<String, Object> sent = body;
        return new Case(spec.method() + " " + path + " " + field + "=" + abbreviate(Json.write(body.getOrDefault(
                field.contains(".") ? field.substring(0, field.indexOf('.')) : field, "?"))), spec.method(), path, spec.key(),
                json(body), Map.of("Content-Type", "application/json"), named, invalid,
                spec.accepted() == null ? null : r -> spec.accepted().accept(sent, r));
    }

    // ---- every route ----------------------------------------------------------------------------

    private Map<String, Function<ApiFuzz, Case>> generators(Map<String, BodySpec> bodies) {
        Map<String, Function<ApiFuzz, Case>> g = new LinkedHashMap<>();
        bodies.forEach((route, spec) -> g.put(route, f -> f.chance(25) && route.contains("{id}")
                ? pathCase(spec.method(), route, spec.key(), json(spec.base().get()), f)
                : bodyCase(spec, f)));
        for (String route : List.of("GET /api/v1/tasks/{id}", "DELETE /api/v1/tasks/{id}", "POST /api/v1/tasks/{id}/retry",
                "GET /api/v1/tasks/{id}/agent-session",
                "POST /api/v1/tasks/{id}/move",
                "GET /api/v1/workers/{id}", "DELETE /api/v1/workers/{id}", "POST /api/v1/workers/{id}/pause",
                "POST /api/v1/workers/{id}/resume", "POST /api/v1/workers/{id}/drain", "GET /api/v1/clarifications/{id}",
                "POST /api/v1/queue/{type}/pause", "POST /api/v1/queue/{type}/resume")) {
            String method = route.substring(0, route.indexOf(' '));
            g.put(route, f -> pathCase(method, route, ADMIN, null, f));
        }
        g.put("GET /api/v1/tasks", f -> RouteCases.taskList(ADMIN, f));
        g.put("POST /api/v1/budgets/{scope}/{key}/resume", f -> {
            boolean scope = f.chance(50);
            String nasty = enc(f.pick(ApiFuzz.NASTY_IDS));
            String path = "/api/v1/budgets/" + (scope ? nasty + "/all" : "chain/" + nasty) + "/resume";
            return new Case("POST " + path, "POST", path, ADMIN, null, Map.of("Content-Type", "application/json"),
                    Set.of("scope", "key", "id", "path"), true, null);
        });
        g.put("POST /api/v1/integrations/github/webhook", f -> RouteCases.gitHubWebhookOff(f));
        g.put("GET /api/v1/clarifications", f -> RouteCases.clarificationList(ADMIN, f));
        g.put("GET /api/v1/events", f -> RouteCases.events(ADMIN, f));
        g.put("GET /api/v1/queue/{type}", f -> RouteCases.queueDetail(ADMIN, f));
        g.put("GET /api/v1/tasks/{id}/log", f -> f.chance(25) ? pathCase("GET", "GET /api/v1/tasks/{id}/log", ADMIN, null, f)
                : RouteCases.taskLog(ADMIN, queuedTask, f));
        g.put("GET /api/v1/tasks/{id}/log/stream", f -> f.chance(25) ? pathCase("GET", "GET /api/v1/tasks/{id}/log/stream", ADMIN, null, f)
                : RouteCases.taskLogStream(ADMIN, queuedTask, f));
        for (String report : List.of("workers", "models", "types", "repositories", "daily")) {
            g.put("GET /api/v1/reports/" + report, f -> RouteCases.report(ADMIN, report, f));
        }
        for (String route : List.of("GET /api/v1/workers", "GET /api/v1/queue", "GET /api/v1/budgets", "GET /api/v1/repositories/paused", "GET /metrics", "GET /health",
                "GET /health/{selector}", "GET /prometheus")) {
            g.put(route, f -> RouteCases.headers(ADMIN, route, f));
        }
        // HEAD answers carry no body: only the status is checked (see headCase).
        for (String route : new ArrayList<>(g.keySet())) {
            if (route.startsWith("GET ")) {
                Function<ApiFuzz, Case> get = g.get(route);
                g.put("HEAD " + route.substring(4), f -> RouteCases.head(get.apply(f)));
            }
        }
        return g;
    }

    private Case pathCase(String method, String route, String key, byte[] body, ApiFuzz f) {
        String variable = route.contains("{type}") ? "type" : "id";
        String value = f.pick(ApiFuzz.NASTY_IDS);
        String path = route.substring(route.indexOf(' ') + 1).replace("{" + variable + "}", enc(value));
        return new Case(method + " " + path, method, path, key, body, Map.of("Content-Type", "application/json"),
                Set.of(variable, "path", "worker_id"), true, null);
    }

    // ---- the cases, every run -------------------------------------------------------------

    private List<Case> handListed() {
        List<Case> cases = new ArrayList<>();
        List<Map<String, Object>> bad = List.of(with(task(), "branch", " "), with(task(), "branch", "\n"),
                with(task(), "branch", "HEAD"), with(task(), "title", 0), with(task(), "max_attempts", "3"),
                with(task(), "max_attempts", 2.5), with(task(), "budget.test_comand", "mvn test"),
                with(task(), "repository_url", "https://169.254.169.254/latest/meta-data"),
                with(task(), "repository_url", "https://127.0.0.9/x.git"), with(task(), "title", true));
        List<String> fields = List.of("branch", "branch", "branch", "title", "max_attempts", "max_attempts",
                "budget.test_comand", "repository_url", "repository_url", "title");
        for (int i = 0; i < bad.size(); i++) {
            cases.add(new Case("issue case " + fields.get(i), "POST", "/api/v1/tasks", ADMIN, json(bad.get(i)),
                    Map.of("Content-Type", "application/json"), Set.of(fields.get(i)), true, null));
        }
        // Every nasty id as a chain's budget key (a NUL once reached PostgreSQL from here: 500).
        for (String nasty : ApiFuzz.NASTY_IDS) {
            String path = "/api/v1/budgets/chain/" + enc(nasty) + "/resume";
            cases.add(new Case("POST " + path, "POST", path, ADMIN, null, Map.of("Content-Type", "application/json"),
                    Set.of("key", "id", "path"), true, null));
        }
        return cases;
    }
}
