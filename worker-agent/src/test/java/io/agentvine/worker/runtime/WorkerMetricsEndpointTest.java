package io.agentvine.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The worker's own {@code /metrics} ({@code AGENTVINE_WORKER_METRICS_PORT}): a real worker runs a real
 * task and its endpoint, scraped over HTTP, shows the run's series with bounded labels only; off by
 * default, nothing of the worker's listens but its agents' loopback question endpoint; a port in use
 * stops the worker at start with a message naming the variable.
 */
class WorkerMetricsEndpointTest extends FleetTestBase {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void a_workers_endpoint_shows_its_run_after_a_real_task() throws Exception {
        int port = freePort();
        WorkerRuntime worker = fleet.startWorker(Map.of("AGENTVINE_WORKER_TYPES", "feature", "AGENTVINE_WORKER_METRICS_PORT",
                String.valueOf(port), "AGENTVINE_WORKER_METRICS_ADDRESS", "127.0.0.1"));
        String task = fleet.createTask("feature", "Greeting", "Greet by name.", "autonomous", "\"test_command\":\"true\"");
        await().atMost(Duration.ofSeconds(60)).until(() -> "completed".equals(fleet.state(task)));
        URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
        await().atMost(Duration.ofSeconds(10)).until(() -> value(get(metrics).body(), "agentvine_worker_heartbeats_total",
                Map.of("outcome", "sent")) >= 1);

        HttpResponse<String> r = get(metrics);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
        String body = r.body();
        assertThat(value(body, "agentvine_worker_runs_ended_total", Map.of("type", "feature", "outcome", "completed"))).isEqualTo(1.0);
        assertThat(value(body, "agentvine_worker_run_time_seconds_count", Map.of("type", "feature", "outcome", "completed")))
                .isEqualTo(1.0);
        assertThat(value(body, "agentvine_worker_run_time_seconds_sum", Map.of("type", "feature", "outcome", "completed")))
                .isPositive();
        assertThat(value(body, "agentvine_worker_clone_time_seconds_count", Map.of("type", "feature"))).isEqualTo(1.0);
        assertThat(value(body, "agentvine_worker_agent_time_seconds_count", Map.of("type", "feature", "model_tier", "premium")))
                .isEqualTo(1.0);
        assertThat(value(body, "agentvine_worker_test_time_seconds_count", Map.of("type", "feature", "outcome", "passed")))
                .isEqualTo(1.0);
        String model = (String) fleet.result(task).get("model");
        assertThat(value(body, "agentvine_worker_tokens_total", Map.of("type", "feature", "model", model, "kind", "input")))
                .isPositive();
        assertThat(value(body, "agentvine_worker_tokens_total", Map.of("type", "feature", "model", model, "kind", "output")))
                .isPositive();
        assertThat(value(body, "agentvine_worker_runs_in_flight", Map.of())).isZero();
        assertThat(body).contains("agentvine_worker_run_time_seconds_bucket{").contains("jvm_memory_used_bytes{");

        // Bounded labels only: no worker, task or work-order id in any series.
        Set<String> labelNames = new HashSet<>();
        for (String line : body.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList()) {
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            labels(m.group(2)).keySet().forEach(labelNames::add);
        }
        assertThat(labelNames).isSubsetOf("type", "outcome", "model_tier", "model", "kind", "le", "area", "id", "state");
        assertThat(body).doesNotContain(worker.workerId()).doesNotContain(task);

        assertThat(get(URI.create("http://127.0.0.1:" + port + "/elsewhere")).statusCode()).isEqualTo(404);
        assertThat(threadNamed("worker-metrics")).isTrue();
        worker.close();
        worker.close(); // idempotent
        assertThatThrownBy(() -> get(metrics)).isInstanceOf(ConnectException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> !threadNamed("worker-metrics"));
    }

    @Test
    void off_by_default_the_worker_listens_only_for_its_agents_questions() throws Exception {
        Process jvm = fleet.workerJvm("plain-worker", Map.of("AGENTVINE_WORKER_TYPES", "feature"),
                List.of("-Dlogback.configurationFile=logback.xml")); // the image's log configuration: INFO lines
        Path log = tmp.resolve("plain-worker.log");
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains(" running"));
            // "running" is logged once registered, after every listener of the worker is open
            Matcher ask = Pattern.compile("agents ask their questions at http://127\\.0\\.0\\.1:(\\d+)").matcher(Files.readString(log));
            assertThat(ask.find()).as(Files.readString(log)).isTrue();
            assertThat(listeningPorts(jvm.pid())).containsExactly(Integer.parseInt(ask.group(1)));
            assertThat(Files.readString(log)).doesNotContain("metrics at");
        } finally {
            jvm.destroy();
            assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void a_port_in_use_stops_the_worker_at_start_naming_the_variable() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Process jvm = fleet.workerJvm("clashing-worker", Map.of("AGENTVINE_WORKER_TYPES", "feature",
                    "AGENTVINE_WORKER_METRICS_PORT", String.valueOf(taken.getLocalPort()), "AGENTVINE_WORKER_METRICS_ADDRESS", "127.0.0.1"));
            assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(jvm.exitValue()).isEqualTo(2);
            assertThat(Files.readString(tmp.resolve("clashing-worker.log")))
                    .contains("AGENTVINE_WORKER_METRICS_PORT")
                    .contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The sample {@code name} with exactly {@code labels}; NaN when there is none. */
    static double value(String body, String name, Map<String, String> labels) {
        for (String line : body.lines().toList()) {
            Matcher m = SAMPLE.matcher(line);
            if (m.matches() && m.group(1).equals(name) && labels(m.group(2)).equals(labels)) {
                return Double.parseDouble(m.group(3));
            }
        }
        return Double.NaN;
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new HashMap<>();
        if (text != null) {
            Matcher m = LABEL.matcher(text);
            while (m.find()) {
                labels.put(m.group(1), m.group(2));
            }
        }
        return labels;
    }

    /** TCP ports process {@code pid} listens on: its socket inodes (/proc/PID/fd) in LISTEN state in /proc/PID/net/tcp{,6}. */
    private static Set<Integer> listeningPorts(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away while listing
                }
            }
        }
        Set<Integer> ports = new HashSet<>();
        for (String table : List.of("tcp", "tcp6")) {
            for (String row : Files.readAllLines(Path.of("/proc/" + pid + "/net/" + table)).stream().skip(1).toList()) {
                String[] f = row.trim().split("\\s+");
                if (f[3].equals("0A") && inodes.contains(f[9])) { // 0A: LISTEN
                    ports.add(Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }

    private static boolean threadNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
