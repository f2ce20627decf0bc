package io.agentvine.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Two figures from a running controller and worker (started by benchmarks/run-fleet-bench.sh):
 * <ol>
 *   <li>claim → agent start, clone excluded: the worker's own measurement in each completed task's
 *       {@code result.timings.claim_to_agent_start_ms}, over TASKS tasks of a no-op agent;</li>
 *   <li>answer → agent: from just before the operator's POST /answer to the moment the asking agent's
 *       {@code vine-ask} has printed the answer (the agent writes bash's {@code $EPOCHREALTIME} in nanoseconds into
 *       RECEIVED_DIR/&lt;task&gt;), over QUESTIONS questions, one at a time;</li>
 *   <li>parked questions (MODE park, the worker parks at once): from the agent asking (its {@code $EPOCHREALTIME} in
 *       RECEIVED_DIR/&lt;task&gt;.asked) to the task seen {@code parked} — the run saved its work and freed its slot
 *       (an upper bound: it includes the controller applying the event and this benchmark's 5 ms poll); then from just
 *       before the answer POST to the resumed agent running with the answer (RECEIVED_DIR/&lt;task&gt;), with and
 *       without the resumed run's clone ({@code result.timings.clone_ms}).</li>
 * </ol>
 * Medians and p99 are printed; nothing is asserted.
 */
public final class FleetBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static String base;
    private static String admin;

    public static void main(String[] args) throws Exception {
        base = env("CONTROLLER_URL");
        admin = env("ADMIN_KEY");
        String repo = env("REPO_URL");
        String mode = env("MODE");
        int n = Integer.parseInt(System.getenv().getOrDefault("COUNT", "30"));
        if (mode.equals("claim")) {
            claimToStart(repo, n);
        } else if (mode.equals("park")) {
            parked(repo, n, Path.of(env("RECEIVED_DIR")));
        } else {
            answerToAgent(repo, n, Path.of(env("RECEIVED_DIR")));
        }
    }

    private static void claimToStart(String repo, int n) throws Exception {
        for (int i = 0; i < 5; i++) { // warm-up, not counted: the first runs load and compile the code paths
            waitFor(create(repo, "warm-up " + i), "completed");
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(create(repo, "claim bench " + i));
        }
        List<Double> overheads = new ArrayList<>();
        List<Double> spawns = new ArrayList<>();
        for (String id : ids) {
            JsonNode task = waitFor(id, "completed");
            overheads.add(task.path("result").path("timings").path("claim_to_agent_start_ms").asDouble());
            spawns.add(task.path("result").path("timings").path("spawn_ms").asDouble());
        }
        report("claim -> agent start (clone excluded)", overheads);
        report("  of which starting the process", spawns);
    }

    private static void answerToAgent(String repo, int n, Path received) throws Exception {
        List<Double> latencies = new ArrayList<>();
        List<Double> posts = new ArrayList<>();
        int warmUp = 5; // not counted: the first answers load and compile the code paths
        for (int i = 0; i < n + warmUp; i++) {
            if (i == warmUp) {
                latencies.clear();
                posts.clear();
            }
            String id = create(repo, "question bench " + i);
            JsonNode q = null;
            while (q == null) {
                JsonNode pending = get("/api/v1/clarifications?task_id=" + id);
                for (JsonNode c : pending) {
                    if (c.path("status").asText().equals("pending")) {
                        q = c;
                    }
                }
                if (q == null) {
                    Thread.sleep(20);
                }
            }
            // Both ends read the wall clock (the agent bash's EPOCHREALTIME): same machine, same clock.
            java.time.Instant before = java.time.Instant.now();
            long t0 = System.nanoTime();
            HttpResponse<String> r = send("POST", "/api/v1/clarifications/" + q.path("id").asText() + "/answer",
                    "{\"answer\":\"yes\"}");
            if (r.statusCode() != 200) {
                throw new IllegalStateException("answer refused: " + r.body());
            }
            posts.add((System.nanoTime() - t0) / 1_000_000.0);
            Path file = received.resolve(id);
            while (!Files.exists(file) || Files.readString(file).isBlank()) {
                Thread.sleep(1);
            }
            long agentEpochNanos = Long.parseLong(Files.readString(file).trim());
            long beforeEpochNanos = before.getEpochSecond() * 1_000_000_000L + before.getNano();
            latencies.add((agentEpochNanos - beforeEpochNanos) / 1_000_000.0);
            waitFor(id, "completed");
        }
        report("answer POST -> agent has the answer", latencies);
        report("  of which the POST round trip", posts);
    }

    private static void parked(String repo, int n, Path received) throws Exception {
        List<Double> parking = new ArrayList<>();
        List<Double> resumed = new ArrayList<>();
        List<Double> resumedNoClone = new ArrayList<>();
        int warmUp = 3; // not counted
        for (int i = 0; i < n + warmUp; i++) {
            if (i == warmUp) {
                parking.clear();
                resumed.clear();
                resumedNoClone.clear();
            }
            String id = create(repo, "park bench " + i);
            waitFor(id, "parked", 5);
            java.time.Instant seen = java.time.Instant.now();
            parking.add((epochNanos(seen) - Long.parseLong(Files.readString(received.resolve(id + ".asked")).trim())) / 1_000_000.0);
            JsonNode q = null;
            for (JsonNode c : get("/api/v1/clarifications?task_id=" + id)) {
                if (c.path("status").asText().equals("pending")) {
                    q = c;
                }
            }
            if (q == null) {
                throw new IllegalStateException("task " + id + " parked without a pending question");
            }
            java.time.Instant before = java.time.Instant.now();
            HttpResponse<String> r = send("POST", "/api/v1/clarifications/" + q.path("id").asText() + "/answer", "{\"answer\":\"yes\"}");
            if (r.statusCode() != 200) {
                throw new IllegalStateException("answer refused: " + r.body());
            }
            Path file = received.resolve(id);
            while (!Files.exists(file) || Files.readString(file).isBlank()) {
                Thread.sleep(1);
            }
            double ms = (Long.parseLong(Files.readString(file).trim()) - epochNanos(before)) / 1_000_000.0;
            JsonNode done = waitFor(id, "completed");
            resumed.add(ms);
            resumedNoClone.add(ms - done.path("result").path("timings").path("clone_ms").asDouble());
        }
        report("ask -> parked, slot free (upper bound)", parking);
        report("answer POST -> resumed agent has it", resumed);
        report("  the same, clone excluded", resumedNoClone);
    }

    private static long epochNanos(java.time.Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private static void report(String what, List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        double median = sorted.get(sorted.size() / 2);
        double p99 = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1));
        System.out.printf(Locale.ROOT, "%s: n=%d median %.1f ms, p99 %.1f ms, max %.1f ms%n", what, sorted.size(), median, p99,
                sorted.get(sorted.size() - 1));
    }

    private static String create(String repo, String title) throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/tasks", "{\"type\":\"feature\",\"repository_url\":\"" + repo
                + "\",\"branch\":\"main\",\"title\":\"" + title + "\",\"instructions\":\"benchmark\",\"permission_level\":\"autonomous\"}");
        if (r.statusCode() >= 300) {
            throw new IllegalStateException("task refused: " + r.body());
        }
        return JSON.readTree(r.body()).path("id").asText();
    }

    private static JsonNode waitFor(String id, String state) throws Exception {
        return waitFor(id, state, 20);
    }

    private static JsonNode waitFor(String id, String state, long pollMillis) throws Exception {
        for (long i = 0; i < 120_000 / pollMillis; i++) {
            JsonNode t = get("/api/v1/tasks/" + id);
            if (t.path("state").asText().equals(state)) {
                return t;
            }
            if (List.of("failed", "dead", "cancelled").contains(t.path("state").asText())) {
                throw new IllegalStateException("task " + id + " ended " + t.path("state").asText() + ": " + t.path("error").asText());
            }
            Thread.sleep(pollMillis);
        }
        throw new IllegalStateException("task " + id + " not " + state + " after 120 s");
    }

    private static JsonNode get(String path) throws Exception {
        return JSON.readTree(send("GET", path, null).body());
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return v;
    }
}
