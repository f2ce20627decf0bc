import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP side of {@code ./fleet}, for machines that have a JDK and nothing else (no curl): run it as
 * {@code java tools/FleetClient.java …}. No dependencies, so it also works before anything is built.
 *
 * <pre>
 * FleetClient [--key KEY] [--field NAME] METHOD URL [JSON]     one request, like curl; the body to stdout
 *                                                            (a stream such as /api/v1/events is copied as it comes);
 *                                                            --field prints one top-level field of the answer;
 *                                                            exit 1 on an HTTP error, 2 when unreachable
 * FleetClient --key KEY wait-ready BASE NAMES SINCE_MS TIMEOUT_S [PIDS]
 *                                                            waits for /health and for a healthy worker per name
 *                                                            (NAMES comma-separated, or "" for none) registered
 *                                                            since SINCE_MS; stops early if a PID dies
 * FleetClient --key KEY smoke BASE REPO_URL TYPES TIMEOUT_S RESULTS_TSV
 *                                                            one task per type, waits until all are final, writes
 *                                                            type, id, state, branch, commit, seconds, error per line
 * </pre>
 * The key may also come from AGENTVINE_ADMIN_KEY.
 */
public final class FleetClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private static final List<String> FINAL = List.of("completed", "failed", "dead", "cancelled");
    private static final PrintStream OUT = System.out;

    private static String key = System.getenv("AGENTVINE_ADMIN_KEY");

    private FleetClient() {
    }

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>();
        String field = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--key" -> key = args[++i];
                case "--field" -> field = args[++i];
                default -> rest.add(args[i]);
            }
        }
        if (rest.isEmpty()) {
            usage();
        }
        String command = rest.get(0);
        int code = switch (command) {
            case "wait-ready" -> rest.size() >= 5 ? waitReady(rest.get(1), rest.get(2), Long.parseLong(rest.get(3)),
                    Long.parseLong(rest.get(4)), rest.size() > 5 ? rest.get(5) : "") : usage();
            case "smoke" -> rest.size() == 6 ? smoke(rest.get(1), rest.get(2), rest.get(3), Long.parseLong(rest.get(4)),
                    Path.of(rest.get(5))) : usage();
            default -> rest.size() >= 2 ? request(command.toUpperCase(Locale.ROOT), rest.get(1),
                    rest.size() > 2 ? rest.get(2) : null, field) : usage();
        };
        System.exit(code);
    }

    private static int usage() {
        System.err.println("usage: java tools/FleetClient.java [--key KEY] [--field NAME] METHOD URL [JSON]\n"
                + "       java tools/FleetClient.java --key KEY wait-ready BASE NAMES SINCE_MS TIMEOUT_S [PIDS]\n"
                + "       java tools/FleetClient.java --key KEY smoke BASE REPO_URL TYPES TIMEOUT_S RESULTS_TSV");
        System.exit(64);
        return 64;
    }

    // ---- one request, like curl -------------------------------------------------------------------------------

    private static int request(String method, String url, String body, String field) throws InterruptedException {
        HttpRequest.Builder b = builder(url).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        try {
            HttpResponse<InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                if (field != null && r.statusCode() < 400) {
                    Object v = asMap(Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8))).get(field);
                    OUT.println(v == null ? "" : v);
                } else {
                    byte[] buf = new byte[8192];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        OUT.write(buf, 0, n);
                        OUT.flush(); // Server-Sent Events arrive one by one
                    }
                    OUT.println();
                }
            }
            if (r.statusCode() >= 400) {
                System.err.println("HTTP " + r.statusCode());
                return 1;
            }
            return 0;
        } catch (IOException e) {
            System.err.println(url + ": " + describe(e));
            return 2;
        }
    }

    // ---- wait until the controller and every worker are up ------------------------------------------------------

    private static int waitReady(String base, String names, long sinceMillis, long timeoutSeconds, String pids)
            throws InterruptedException {
        Instant since = Instant.ofEpochMilli(sinceMillis);
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        List<String> waiting = names.isBlank() ? new ArrayList<>() : new ArrayList<>(List.of(names.split(",")));
        boolean controllerUp = false;
        String lastProblem = "";
        while (System.nanoTime() < deadline) {
            String dead = deadProcess(pids);
            if (dead != null) {
                System.err.println("process " + dead + " exited while the fleet was starting");
                return 3;
            }
            try {
                if (!controllerUp) {
                    HttpResponse<String> h = get(base + "/health");
                    if (h.statusCode() == 200) {
                        controllerUp = true;
                        if (waiting.isEmpty()) {
                            OUT.printf("  controller up after %.1f s%n", elapsed(sinceMillis));
                        }
                    } else {
                        lastProblem = "/health answers " + h.statusCode() + ": " + h.body();
                    }
                }
                if (controllerUp) {
                    HttpResponse<String> w = get(base + "/api/v1/workers");
                    if (w.statusCode() != 200) {
                        System.err.println("GET /api/v1/workers: HTTP " + w.statusCode() + " " + w.body());
                        return 1;
                    }
                    for (Object o : (List<?>) Json.parse(w.body())) {
                        Map<String, Object> worker = asMap(o);
                        String name = String.valueOf(worker.get("name"));
                        if (waiting.contains(name) && worker.get("deregistered_at") == null && "healthy".equals(worker.get("health"))
                                && !Instant.parse(String.valueOf(worker.get("registered_at"))).isBefore(since)) {
                            waiting.remove(name);
                            OUT.printf("  worker %-16s registered after %.1f s (%s)%n", name, elapsed(sinceMillis), worker.get("id"));
                        }
                    }
                    if (waiting.isEmpty()) {
                        return 0;
                    }
                    lastProblem = "not registered yet: " + String.join(", ", waiting);
                }
            } catch (IOException e) {
                lastProblem = describe(e);
            }
            Thread.sleep(250);
        }
        System.err.println("not ready after " + timeoutSeconds + " s: " + (controllerUp ? "" : "controller not up; ") + lastProblem);
        return 1;
    }

    private static String deadProcess(String pids) {
        for (String p : pids.split(",")) {
            if (!p.isBlank() && ProcessHandle.of(Long.parseLong(p.trim())).map(h -> !h.isAlive()).orElse(true)) {
                return p.trim();
            }
        }
        return null;
    }

    // ---- the smoke run: one task per type, all the way to their commits -------------------------------------------

    private static int smoke(String base, String repo, String types, long timeoutSeconds, Path results) throws Exception {
        long t0 = System.currentTimeMillis();
        Map<String, String> ids = new LinkedHashMap<>();
        for (String type : types.split(",")) {
            String body = Json.write(Map.of("type", type, "repository_url", repo, "branch", "main",
                    "title", "Smoke " + type + " task", "instructions", "Smoke test of the local fleet: a " + type
                            + " task on the sample project. Keep test.sh passing.",
                    "permission_level", "autonomous", "test_command", "sh test.sh",
                    "budget", Map.of("timeout_seconds", 600)));
            HttpResponse<String> r = send(builder(base + "/api/v1/tasks").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
            if (r.statusCode() != 201) {
                System.err.println("enqueue of a " + type + " task: HTTP " + r.statusCode() + " " + r.body());
                return 1;
            }
            String id = String.valueOf(asMap(Json.parse(r.body())).get("id"));
            ids.put(type, id);
            OUT.printf("  enqueued %-8s %s%n", type, id);
        }
        Map<String, Map<String, Object>> last = new LinkedHashMap<>();
        Map<String, Double> finishedAfter = new LinkedHashMap<>();
        long deadline = t0 + timeoutSeconds * 1000;
        while (finishedAfter.size() < ids.size() && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
            for (var e : ids.entrySet()) {
                if (finishedAfter.containsKey(e.getKey())) {
                    continue;
                }
                HttpResponse<String> r = send(builder(base + "/api/v1/tasks/" + e.getValue()).GET().build());
                if (r.statusCode() != 200) {
                    continue;
                }
                Map<String, Object> task = asMap(Json.parse(r.body()));
                Object before = last.containsKey(e.getKey()) ? last.get(e.getKey()).get("state") : null;
                last.put(e.getKey(), task);
                String state = String.valueOf(task.get("state"));
                if (!state.equals(before)) {
                    OUT.printf("  [%5.1f s] %-8s %s%n", elapsed(t0), e.getKey(), state);
                }
                if (FINAL.contains(state)) {
                    finishedAfter.put(e.getKey(), elapsed(t0));
                }
            }
        }
        for (var e : ids.entrySet()) {
            if (!finishedAfter.containsKey(e.getKey())) { // so that it does not run at the next start
                send(builder(base + "/api/v1/tasks/" + e.getValue()).DELETE().build());
                OUT.printf("  cancelled %s %s: not final after %d s%n", e.getKey(), e.getValue(), timeoutSeconds);
            }
        }
        StringBuilder tsv = new StringBuilder();
        boolean allCompleted = true;
        for (var e : ids.entrySet()) {
            Map<String, Object> task = last.getOrDefault(e.getKey(), Map.of());
            String state = String.valueOf(task.getOrDefault("state", "unknown"));
            Map<String, Object> result = task.get("result") instanceof Map<?, ?> ? asMap(task.get("result")) : Map.of();
            String error = task.get("error") == null ? (finishedAfter.containsKey(e.getKey()) ? "" : "not final after "
                    + timeoutSeconds + " s") : String.valueOf(task.get("error"));
            allCompleted &= state.equals("completed");
            tsv.append(String.join("\t", e.getKey(), e.getValue(), state, String.valueOf(result.getOrDefault("branch", "-")),
                    String.valueOf(result.getOrDefault("commit", "-")),
                    String.format(Locale.ROOT, "%.1f", finishedAfter.getOrDefault(e.getKey(), elapsed(t0))),
                    error.replaceAll("\\s+", " "))).append('\n');
        }
        Files.writeString(results, tsv.toString(), StandardCharsets.UTF_8);
        return allCompleted ? 0 : 1;
    }

    // ---- HTTP and small helpers -----------------------------------------------------------------------------------

    private static HttpRequest.Builder builder(String url) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json, text/event-stream");
        if (key != null && !key.isBlank()) {
            b.header("Authorization", "Bearer " + key);
        }
        return b;
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(builder(url).timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static double elapsed(long sinceMillis) {
        return (System.currentTimeMillis() - sinceMillis) / 1000.0;
    }

    private static String describe(IOException e) {
        return e instanceof ConnectException ? "connection refused" : e.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** Just enough JSON: objects, arrays, strings, numbers, booleans, null. */
    static final class Json {
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String text) {
            Json p = new Json(text);
            Object v = p.value();
            p.ws();
            if (p.i != text.length()) {
                throw p.error("trailing characters");
            }
            return v;
        }

        private Object value() {
            ws();
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(i);
            switch (c) {
                case '{' -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    i++;
                    ws();
                    if (peek('}')) {
                        return m;
                    }
                    do {
                        ws();
                        String k = string();
                        ws();
                        expect(':');
                        m.put(k, value());
                        ws();
                    } while (peek(','));
                    expect('}');
                    return m;
                }
                case '[' -> {
                    List<Object> l = new ArrayList<>();
                    i++;
                    ws();
                    if (peek(']')) {
                        return l;
                    }
                    do {
                        l.add(value());
                        ws();
                    } while (peek(','));
                    expect(']');
                    return l;
                }
                case '"' -> {
                    return string();
                }
                default -> {
                    int start = i;
                    while (i < s.length() && ",}] \t\r\n".indexOf(s.charAt(i)) < 0) {
                        i++;
                    }
                    String word = s.substring(start, i);
                    return switch (word) {
                        case "true" -> Boolean.TRUE;
                        case "false" -> Boolean.FALSE;
                        case "null" -> null;
                        default -> {
                            try {
                                yield new java.math.BigDecimal(word);
                            } catch (NumberFormatException e) {
                                throw error("not a value: " + word);
                            }
                        }
                    };
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> b.append(e);
                }
            }
            throw error("unterminated string");
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private boolean peek(char c) {
            if (i < s.length() && s.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw error("expected '" + c + "'");
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("bad JSON at " + i + ": " + what);
        }

        static String write(Object v) {
            if (v == null) {
                return "null";
            }
            if (v instanceof Map<?, ?> m) {
                StringBuilder b = new StringBuilder("{");
                m.forEach((k, x) -> b.append(b.length() > 1 ? "," : "").append(write(String.valueOf(k))).append(':').append(write(x)));
                return b.append('}').toString();
            }
            if (v instanceof Number || v instanceof Boolean) {
                return v.toString();
            }
            StringBuilder b = new StringBuilder("\"");
            for (char c : v.toString().toCharArray()) {
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> b.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
                }
            }
            return b.append('"').toString();
        }
    }
}
