package io.agentvine.controller;

import static io.agentvine.controller.TestHttp.enc;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.controller.ApiFuzz.Case;
import io.agentvine.controller.TestHttp.Reply;
import io.agentvine.model.Json;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** The fuzz cases of routes without a JSON body: query parameters, headers, and HEAD requests. */
final class RouteCases {
    private RouteCases() {
    }

    /** The GitHub webhook with no secret configured: off, whatever is sent (a 404 naming the path). */
    static Case gitHubWebhookOff(ApiFuzz f) {
        String raw = f.pick(ApiFuzz.RAW_BODIES);
        return new Case("POST /api/v1/integrations/github/webhook (off) " + raw.length() + " bytes", "POST",
                "/api/v1/integrations/github/webhook", null, raw.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json", "X-GitHub-Event", f.pick(List.of("issues", "ping", "")),
                        "X-GitHub-Delivery", java.util.UUID.randomUUID().toString()), Set.of("path", "body", "Content-Type"), true, null);
    }

    /** The HEAD twin of a GET case: no body to check, only the status. */
    static Case head(Case get) {
        return new Case("HEAD " + get.label(), "HEAD", get.path(), get.key(), null, get.headers(), get.fields(),
                get.mustRefuse(), r -> { });
    }

    /** GET /api/v1/tasks with one odd filter or page parameter; what it lists must match the filter. */
    static Case taskList(String admin, ApiFuzz f) {
        String param = f.pick(List.of("state", "type", "repository", "q", "page", "size"));
        String value = param.equals("page") || param.equals("size")
                ? f.pick(List.of("-1", "0", "1", "200", "201", "1e3", "abc", "99999999999", "1.5", " 1", "", "0x10", "1000001"))
                : f.pick(f.chance(20) ? List.of("Queued", " queued", "QUEUED", "feature ", "Feature") : ApiFuzz.NASTY_TEXT.subList(0, 30));
        String path = "/api/v1/tasks?" + param + "=" + enc(value);
        return new Case("GET " + path, "GET", path, admin, null, Map.of(), Set.of(param, "path"), false, r -> {
            Map<String, Object> page = r.json();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> content = (List<Map<String, Object>>) page.get("content");
            switch (param) {
                case "state" -> {
                    String canonical = value.strip().toLowerCase(Locale.ROOT).replace('-', '_');
                    assertThat(List.of("queued", "delayed", "running", "awaiting_approval", "completed", "failed", "dead",
                            "cancelled", "waiting")).contains(canonical);
                    assertThat(content).allSatisfy(t -> assertThat(t).containsEntry("state", canonical));
                }
                case "type" -> assertThat(content).allSatisfy(t -> assertThat(t).containsEntry("type", value.strip()));
                case "repository" -> assertThat(content).allSatisfy(t -> assertThat(t).containsEntry("repository_url", value));
                case "q" -> assertThat(content).allSatisfy(t -> assertThat(((String) t.get("title")).toLowerCase(Locale.ROOT)
                        .contains(value.strip().toLowerCase(Locale.ROOT)) || ((String) t.get("id")).startsWith(value.strip())
                        || ((String) t.get("id")).startsWith("t-" + value.strip().toLowerCase(Locale.ROOT))).isTrue());
                // An empty value is the default (page 0, size 50).
                case "size" -> assertThat(content.size()).isLessThanOrEqualTo(value.isBlank() ? 50 : Integer.parseInt(value.strip()));
                default -> assertThat(value.isBlank() ? 0 : Integer.parseInt(value.strip())).isBetween(0, 1_000_000);
            }
        });
    }

    /** GET /api/v1/queue/{type} with an odd type, offset or limit: refused naming it, or a page no longer than the limit. */
    static Case queueDetail(String admin, ApiFuzz f) {
        String param = f.pick(List.of("type", "offset", "limit"));
        String value = param.equals("type")
                ? f.pick(f.chance(20) ? List.of("feature", " feature", "FEATURE", "Feature", "docs") : ApiFuzz.NASTY_IDS)
                : f.pick(List.of("-1", "0", "1", "200", "201", "1e3", "abc", "99999999999", "1.5", " 1", "", "0x10", "1000001"));
        String path = param.equals("type") ? "/api/v1/queue/" + enc(value)
                : "/api/v1/queue/feature?" + param + "=" + enc(value);
        return new Case("GET " + path, "GET", path, admin, null, Map.of(), Set.of(param, "path"), false, r -> {
            Map<String, Object> queue = r.json();
            @SuppressWarnings("unchecked")
            Map<String, Object> waiting = (Map<String, Object>) queue.get("waiting");
            switch (param) {
                case "type" -> assertThat(queue.get("type").toString()).isEqualToIgnoringCase(value.strip());
                case "limit" -> assertThat(((List<?>) waiting.get("orders")).size())
                        .isLessThanOrEqualTo(value.isBlank() ? 50 : Integer.parseInt(value.strip()));
                default -> assertThat(value.isBlank() ? 0 : Integer.parseInt(value.strip())).isBetween(0, 1_000_000);
            }
        });
    }

    /** GET /api/v1/clarifications with an odd filter: nothing matches. */
    static Case clarificationList(String admin, ApiFuzz f) {
        String param = f.pick(List.of("status", "task_id"));
        String value = f.pick(ApiFuzz.NASTY_TEXT.subList(0, 30));
        String path = "/api/v1/clarifications?" + param + "=" + enc(value);
        return new Case("GET " + path, "GET", path, admin, null, Map.of(), Set.of(param, "path"), false,
                r -> assertThat(Json.read(r.body(), List.class)).isEmpty());
    }

    /** GET /api/v1/events with an odd {@code since}, {@code groups} or {@code Last-Event-ID}: refused, naming it. */
    static Case events(String admin, ApiFuzz f) {
        if (f.chance(33)) {
            String value = f.pick(List.of("flet", "FLEET", "fleet,", ",", "fleet;queue", "fleet attention", "%00", "\u0000",
                    "x".repeat(300), "fleet,queue,nope"));
            String path = "/api/v1/events?groups=" + enc(value);
            return new Case("GET " + path, "GET", path, admin, null, Map.of(), Set.of("groups"), true, null);
        }
        if (f.chance(50)) {
            String value = f.pick(List.of("-1", "x", "1.5", "99999999999999999999", "0x1", "1e3", "%00", "--1"));
            String path = "/api/v1/events?since=" + enc(value);
            return new Case("GET " + path, "GET", path, admin, null, Map.of(), Set.of("since"), true, null);
        }
        String value = f.pick(List.of("abc", "-5", "1.0", "99999999999999999999", "+1", "1 2", "0x10", "%31", "1;2"));
        return new Case("GET /api/v1/events Last-Event-ID: " + value, "GET", "/api/v1/events", admin, null,
                Map.of("Last-Event-ID", value), Set.of("Last-Event-ID"), true, null);
    }

    /**
     * GET /api/v1/tasks/{id}/log of a queued task with one odd {@code attempt}, {@code after} or {@code limit}: refused
     * naming it, or (a usable value) an empty page of that task.
     */
    static Case taskLog(String admin, String task, ApiFuzz f) {
        String param = f.pick(List.of("attempt", "after", "limit"));
        String value = f.pick(switch (param) {
            case "attempt" -> List.of("0", "-1", "2", "x", "1.5", "99999999999", "1", "%00");
            case "after" -> List.of("abc", "1-", "-1", "1-2-3", "1.5-0", "0-0", "1733130000000-0", "x".repeat(300));
            default -> List.of("0", "-1", "1001", "x", "1e3", "1", "1000", "99999999999");
        });
        String path = "/api/v1/tasks/" + task + "/log?" + param + "=" + enc(value);
        return new Case("GET " + path, "GET", path, admin, null, Map.of(), Set.of(param), false, r -> {
            Map<String, Object> page = r.json();
            assertThat(page).containsEntry("task_id", task).containsEntry("attempt", 1).containsEntry("finished", false);
            assertThat((List<?>) page.get("lines")).isEmpty();
        });
    }

    /** GET /api/v1/tasks/{id}/log/stream with an unusable {@code attempt} or {@code Last-Event-ID}: refused, naming it. */
    static Case taskLogStream(String admin, String task, ApiFuzz f) {
        String path = "/api/v1/tasks/" + task + "/log/stream";
        if (f.chance(50)) {
            String value = f.pick(List.of("0", "-1", "2", "x", "1.5", "99999999999", "%00"));
            return new Case("GET " + path + "?attempt=" + value, "GET", path + "?attempt=" + enc(value), admin, null,
                    Map.of("Accept", "text/event-stream"), Set.of("attempt"), true, null);
        }
        String value = f.pick(List.of("abc", "1-", "-1", "1-2-3", "1.5-0", "0x1-0", "1;2", "x".repeat(300)));
        return new Case("GET " + path + " Last-Event-ID: " + value, "GET", path, admin, null,
                Map.of("Accept", "text/event-stream", "Last-Event-ID", value), Set.of("Last-Event-ID"), true, null);
    }

    /**
     * GET /api/v1/reports/{report} with one odd parameter: a window end that is no instant or date, or a
     * filter with any text; an accepted filter is echoed in the report as it was read.
     */
    static Case report(String admin, String report, ApiFuzz f) {
        String param = f.pick(List.of("since", "until", "type", "repository", "model"));
        boolean time = param.equals("since") || param.equals("until");
        String value = time && f.chance(70)
                ? f.pick(List.of("2025-11-01", "2025-11-01T00:00:00Z", "2025-11-01T00:00:00", "2025-02-30", "1969-12-31",
                "+999999999-12-31T23:59:59Z", "-1", "0", "now", "2025-11-01T00:00:00+02:00", " 2025-11-01", "2025-1-1",
                "9999-12-31", "9998-12-31"))
                : f.pick(f.chance(20) ? List.of("feature", "feature ", "Feature", "sonnet", "https://git.example.com/a.git")
                : ApiFuzz.NASTY_TEXT.subList(0, 30));
        String path = "/api/v1/reports/" + report + "?" + param + "=" + enc(value);
        return new Case("GET " + path, "GET", path, admin, null, Map.of(), Set.of(param, "path"), false, r -> {
            Map<String, Object> body = r.json();
            assertThat(body.get("rows")).isInstanceOf(List.class);
            if (!time) {
                assertThat(body.get(param)).isEqualTo(param.equals("type") ? value.strip() : value);
            }
        });
    }

    /** A route without parameters, with an odd Accept or Content-Type header. */
    static Case headers(String admin, String route, ApiFuzz f) {
        String path = route.substring(route.indexOf(' ') + 1).replace("{selector}", enc(f.pick(ApiFuzz.NASTY_IDS)));
        Map<String, String> headers = f.chance(50) ? Map.of("Accept", f.pick(ApiFuzz.CONTENT_TYPES))
                : Map.of("Content-Type", f.pick(ApiFuzz.CONTENT_TYPES));
        Consumer<Reply> anything = r -> { };
        return new Case("GET " + path + " " + headers, "GET", path, admin, null, headers, Set.of(), false, anything);
    }
}
