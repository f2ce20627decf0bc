package io.agentvine.bench;

import io.agentvine.model.Json;
import io.agentvine.worker.livelog.LiveLogSettings;
import io.agentvine.worker.livelog.LogShipper;
import io.agentvine.worker.livelog.Shipment;
import io.lettuce.core.RedisClient;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard's benchmarks (issue #17), against a running controller (see
 * {@code benchmarks/run-dashboard-bench.sh}, which starts it on PostgreSQL and fills it). One JSON line per
 * measurement on stdout. {@code MODE}:
 * <ul>
 * <li>{@code pages}: {@code GET} of dashboard pages with a session cookie, one keep-alive connection, one request at
 *   a time; the time from sending the request to the last byte of the body (loopback, so this is the server's time plus
 *   the client's parsing of the response);</li>
 * <li>{@code livelog}: lines written through the worker's own {@link LogShipper} (write instant embedded) appear in a
 *   headless chromium on the task page; the arrival is taken by a MutationObserver on the log's element;</li>
 * <li>{@code cpu}: the controller's CPU time (/proc/&lt;pid&gt;/stat) over a window at ~20 events/s, with no dashboard
 *   and with {@code CLIENTS} simulated Fleet pages (each: its event stream, which carries the cards the server pushes),
 *   alternating.</li>
 * </ul>
 */
public final class DashboardBenchmark {
    private static final String BASE = env("BASE", "http://127.0.0.1:18191");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private DashboardBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        switch (env("MODE", "pages")) {
            case "pages" -> pages();
            case "livelog" -> liveLog();
            case "cpu" -> cpu();
            default -> throw new IllegalArgumentException("MODE: pages, livelog or cpu");
        }
        System.exit(0);
    }

    // ---- pages ----------------------------------------------------------------------------------------------------

    private static void pages() throws Exception {
        String cookie = env("COOKIE", null);
        int n = Integer.parseInt(env("N", "500"));
        int warmup = Integer.parseInt(env("WARMUP", "100"));
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("tasks first page", "/ui/tasks");
        cases.put("tasks filtered (state=failed, type=bugfix)", "/ui/tasks?state=failed&type=bugfix");
        cases.put("tasks text search (q=csv)", "/ui/tasks?q=csv");
        cases.put("tasks text search, rare (q=" + env("RARE_Q", "zebra") + ")", "/ui/tasks?q=" + enc(env("RARE_Q", "zebra")));
        cases.put("tasks deep page (page=" + env("DEEP_PAGE", "2000") + ")", "/ui/tasks?page=" + env("DEEP_PAGE", "2000"));
        // The same rows as the page link reaches them now: by key, the cursor of the page before (taken once, by offset).
        int deep = Integer.parseInt(env("DEEP_PAGE", "2000"));
        HttpResponse<String> before = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "/api/v1/tasks?size=25&page=" + (deep - 1)))
                .header("Cookie", cookie).header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        String cursor = String.valueOf(Json.read(before.body(), Map.class).get("next_cursor"));
        cases.put("tasks deep page by cursor (rows " + (deep * 25 + 1) + "-" + (deep * 25 + 25) + ")", "/ui/tasks?cursor=" + enc(cursor));
        cases.put("task page (" + env("ATTEMPTS", "?") + " attempts)", "/ui/tasks/" + enc(env("TASK_ID", null)));
        String only = env("PAGE_CASES", "all"); // e.g. "cursor,rare": the cases whose name contains one of these
        cases.keySet().removeIf(name -> !only.equals("all")
                && java.util.Arrays.stream(only.split(",")).noneMatch(part -> name.contains(part.strip())));
        for (Map.Entry<String, String> c : cases.entrySet()) {
            HttpRequest req = HttpRequest.newBuilder(URI.create(BASE + c.getValue())).header("Cookie", cookie)
                    .header("Accept", "text/html").timeout(Duration.ofSeconds(30)).GET().build();
            String timing = null;
            long bytes = 0;
            for (int i = 0; i < warmup; i++) {
                HttpResponse<byte[]> r = HTTP.send(req, HttpResponse.BodyHandlers.ofByteArray());
                check(r, c.getValue());
                timing = r.headers().firstValue("Server-Timing").orElse(null);
                bytes = r.body().length;
            }
            double[] ms = new double[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                HttpResponse<byte[]> r = HTTP.send(req, HttpResponse.BodyHandlers.ofByteArray());
                ms[i] = (System.nanoTime() - t0) / 1e6;
                check(r, c.getValue());
            }
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("scenario", "pages");
            line.put("case", c.getKey());
            line.put("path", c.getValue().startsWith("/ui/tasks/t-") ? "/ui/tasks/{id}"
                    : c.getValue().contains("cursor=") ? "/ui/tasks?cursor={row 50,000}" : c.getValue());
            line.put("n", n);
            line.put("body_bytes", bytes);
            line.put("server_timing_header", timing != null);
            stats(line, ms);
            emit(line);
        }
    }

    private static void check(HttpResponse<byte[]> r, String path) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + ": HTTP " + r.statusCode() + " (signed out?)");
        }
    }

    // ---- live log -------------------------------------------------------------------------------------------------

    private static void liveLog() throws Exception {
        String taskId = env("TASK_ID", null);
        int lines = Integer.parseInt(env("LINES", "500"));
        int warmup = Integer.parseInt(env("WARMUP", "20"));
        double rate = Double.parseDouble(env("RATE", "20"));
        Path profile = Files.createTempDirectory("dashbench-chromium-");
        System.setProperty("webdriver.chrome.driver", env("CHROMEDRIVER", "/usr/bin/chromedriver"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(env("CHROMIUM", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=1400,900", "--no-first-run", "--disable-extensions");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(env("CHROMEDRIVER", "/usr/bin/chromedriver")).toFile()).usingAnyFreePort().build();
        WebDriver driver = new ChromeDriver(service, options);
        io.agentvine.queue.redis.RedisEndpoint redis = io.agentvine.queue.redis.RedisEndpoint.create(env("REDIS_URL", "redis://127.0.0.1:6379"));
        LogShipper shipper = new LogShipper(redis, env("NAMESPACE", null), LiveLogSettings.defaults(), Clock.systemUTC()).start();
        try {
            // Sign in through the form, as a person does; the page then follows the running attempt's log.
            driver.get(BASE + "/ui/login?next=" + enc("/ui/tasks/" + taskId));
            driver.findElement(By.name("key")).sendKeys(env("ADMIN_KEY", null));
            driver.findElement(By.cssSelector("form button[type=submit], form input[type=submit]")).click();
            JavascriptExecutor js = (JavascriptExecutor) driver;
            awaitJs(js, "var s=document.getElementById('log-status'); return s != null && s.getAttribute('data-kind') === 'live';",
                    Duration.ofSeconds(30), "the task page's log did not go live");
            js.executeScript("window.__arrivals = [];"
                    + "new MutationObserver(function (ms) { var t = performance.timeOrigin + performance.now();"
                    + "  ms.forEach(function (m) { m.addedNodes.forEach(function (n) { window.__arrivals.push([n.textContent, t]); }); });"
                    + "}).observe(document.getElementById('log-lines'), {childList: true});");
            Map<Long, Double> sseArrivals = new java.util.concurrent.ConcurrentHashMap<>();
            // Each hop's instant per line: the write (in the line), Redis's XADD (the entry id's milliseconds, which the SSE
            // event's id carries) and the JDK client's arrival — where a late line lost its time.
            Map<Long, double[]> hops = new java.util.concurrent.ConcurrentHashMap<>();
            HttpRequest follow = HttpRequest.newBuilder(URI.create(BASE + "/api/v1/tasks/" + enc(taskId) + "/log/stream?attempt=1"))
                    .header("Cookie", env("COOKIE", null)).header("Accept", "text/event-stream").GET().build();
            HttpResponse<Stream<String>> sseResponse = HTTP.send(follow, HttpResponse.BodyHandlers.ofLines());
            Pattern linePattern = Pattern.compile("bench-line (\\d+) written-at-us (\\d+)");
            Thread sseReader = new Thread(() -> {
                try {
                    String[] eventId = {null};
                    sseResponse.body().forEach(l -> {
                        var m = linePattern.matcher(l);
                        if (l.startsWith("id:")) {
                            eventId[0] = l.substring(3).strip();
                        } else if (l.isEmpty()) {
                            eventId[0] = null;
                        } else if (l.startsWith("data:") && m.find()) {
                            Instant now = Instant.now();
                            double nowMs = now.getEpochSecond() * 1000.0 + now.getNano() / 1e6;
                            long n = Long.parseLong(m.group(1));
                            double writtenMs = Long.parseLong(m.group(2)) / 1000.0;
                            sseArrivals.putIfAbsent(n, nowMs - writtenMs);
                            double xaddMs = eventId[0] == null ? Double.NaN : Long.parseLong(eventId[0].split("-")[0]);
                            hops.putIfAbsent(n, new double[] {writtenMs, xaddMs, nowMs});
                        }
                    });
                } catch (RuntimeException closed) {
                    // the stream was closed at the end
                }
            }, "dashbench-sse-client");
            sseReader.setDaemon(true);
            sseReader.start();
            Shipment shipment = shipper.open(taskId, 1);
            int total = warmup + lines;
            CountDownLatch written = new CountDownLatch(total);
            AtomicLong seq = new AtomicLong();
            ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "dashbench-log-writer"));
            writer.scheduleAtFixedRate(() -> {
                long i = seq.getAndIncrement();
                if (i >= total) {
                    return;
                }
                Instant at = Instant.now();
                long micros = at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
                shipment.accept(at, "out", "bench-line " + i + " written-at-us " + micros + " — the agent says something of a usual length here");
                written.countDown();
            }, 0, Math.round(1_000_000 / rate), TimeUnit.MICROSECONDS);
            written.await(Math.round(total / rate * 3 + 30), TimeUnit.SECONDS);
            writer.shutdownNow();
            awaitJs(js, "return window.__arrivals.length >= " + total + ";", Duration.ofSeconds(30),
                    "not every line reached the page");
            @SuppressWarnings("unchecked")
            List<List<Object>> arrivals = (List<List<Object>>) js.executeScript("return window.__arrivals;");
            Pattern p = Pattern.compile("bench-line (\\d+) written-at-us (\\d+)");
            Map<Long, Double> firstArrival = new LinkedHashMap<>();
            int duplicates = 0;
            for (List<Object> a : arrivals) {
                var m = p.matcher(String.valueOf(a.get(0)));
                if (m.find() && Long.parseLong(m.group(1)) >= warmup) {
                    double latency = ((Number) a.get(1)).doubleValue() - Long.parseLong(m.group(2)) / 1000.0;
                    if (firstArrival.putIfAbsent(Long.parseLong(m.group(1)), latency) != null) {
                        duplicates++; // the page appended the line again (it re-read the log)
                    }
                }
            }
            Map<Long, Double> browserAt = new LinkedHashMap<>();
            for (List<Object> a : arrivals) {
                var m = p.matcher(String.valueOf(a.get(0)));
                if (m.find()) {
                    browserAt.putIfAbsent(Long.parseLong(m.group(1)), ((Number) a.get(1)).doubleValue());
                }
            }
            List<Double> lat = new ArrayList<>(firstArrival.values());
            shipment.end(Instant.now());
            sseResponse.body().close();
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("scenario", "livelog");
            line.put("n", lat.size());
            line.put("rate_per_s", rate);
            line.put("ship_interval_ms", LiveLogSettings.defaults().interval().toMillis());
            line.put("duplicates_in_page", duplicates);
            stats(line, lat.stream().mapToDouble(Double::doubleValue).toArray());
            emit(line);
            // The same lines as a JDK SSE client on the same stream saw them: the browser's share of the time is the difference.
            List<Double> sse = new ArrayList<>();
            for (Map.Entry<Long, Double> e : sseArrivals.entrySet()) {
                if (e.getKey() >= warmup) {
                    sse.add(e.getValue());
                }
            }
            if (!sse.isEmpty()) {
                Map<String, Object> client = new LinkedHashMap<>();
                client.put("scenario", "livelog-sse-client");
                client.put("n", sse.size());
                stats(client, sse.stream().mapToDouble(Double::doubleValue).toArray());
                emit(client);
            }
            emitHops(hops, browserAt, warmup);
        } finally {
            shipper.close();
            redis.close();
            driver.quit();
        }
    }

    /**
     * The live log's hops, per line: write → Redis's XADD (the worker's batching and shipping), XADD → the JDK SSE
     * client (the controller's tail and SSE, loopback), the JDK client → the browser's DOM (about the browser's share);
     * then the ten latest lines with their hops, to show where a stall sat.
     */
    private static void emitHops(Map<Long, double[]> hops, Map<Long, Double> browserAt, int warmup) {
        List<double[]> rows = new ArrayList<>();
        for (Map.Entry<Long, double[]> e : hops.entrySet()) {
            double[] h = e.getValue();
            if (e.getKey() >= warmup && !Double.isNaN(h[1])) {
                rows.add(new double[] {e.getKey(), h[1] - h[0], h[2] - h[1], browserAt.getOrDefault(e.getKey(), Double.NaN) - h[0]});
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        String[] names = {"write_to_xadd", "xadd_to_sse_client"};
        for (int i = 0; i < names.length; i++) {
            int col = i + 1;
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("scenario", "livelog-hop");
            line.put("hop", names[i]);
            line.put("n", rows.size());
            stats(line, rows.stream().mapToDouble(r -> r[col]).toArray());
            emit(line);
        }
        rows.sort((a, b) -> Double.compare(b[3], a[3]));
        List<Map<String, Object>> worst = new ArrayList<>();
        for (double[] r : rows.subList(0, Math.min(10, rows.size()))) {
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("line", (long) r[0]);
            w.put("write_to_browser_ms", round2(r[3]));
            w.put("write_to_xadd_ms", round2(r[1]));
            w.put("xadd_to_sse_client_ms", round2(r[2]));
            worst.add(w);
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("scenario", "livelog-worst-lines");
        line.put("lines", worst);
        line.put("load_avg", loadAvg());
        emit(line);
    }

    private static void awaitJs(JavascriptExecutor js, String script, Duration limit, String what) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (Boolean.TRUE.equals(js.executeScript(script))) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(50); // polling a browser state: no event to wait on from outside the page
        }
        throw new IllegalStateException(what + " within " + limit.toSeconds() + " s");
    }

    // ---- CPU of connected dashboards ----------------------------------------------------------------------------------

    private static void cpu() throws Exception {
        long pid = Long.parseLong(env("CONTROLLER_PID", null));
        int clients = Integer.parseInt(env("CLIENTS", "50"));
        int rounds = Integer.parseInt(env("ROUNDS", "3"));
        Duration window = Duration.ofSeconds(Long.parseLong(env("DURATION", "60")));
        double rate = Double.parseDouble(env("RATE", "20"));
        long ticks = Long.parseLong(env("CLK_TCK", "100"));
        String cookie = env("COOKIE", null);
        String adminKey = env("ADMIN_KEY", null);

        // ~RATE events/s, one per tick (EVENTS): "cancel" — a new task (task_queued), then its cancel (task_cancelled),
        // alternately: events no Fleet page follows; "runs" — the simulated workers run tasks, as a fleet at work
        // reports them: a new task (task_queued), claimed from Redis by a worker, then started, one step and completed
        // on the lifecycle stream (task_started, task_step, task_completed: three of four events concern the Fleet).
        AtomicLong events = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        SimulatedFleet fleet = new SimulatedFleet(adminKey, env("WORKER_KEY", null), env("NAMESPACE", null),
                env("EVENTS", "cancel"), Integer.parseInt(env("IN_FLIGHT", "20")));
        ScheduledExecutorService generator = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "dashbench-events"));
        generator.scheduleAtFixedRate(() -> {
            try {
                fleet.next();
                events.incrementAndGet();
            } catch (Exception e) {
                failures.incrementAndGet();
            }
        }, 0, Math.round(1_000_000 / rate), TimeUnit.MICROSECONDS);
        // The workers beat as real ones do (every 15 s), so their cards stay healthy and show what they run.
        generator.scheduleAtFixedRate(fleet::heartbeats, 0, 15, TimeUnit.SECONDS);
        // Warm-up (JIT) before round 1, which otherwise measured highest in every run: WARMUP_S of events alone, then as
        // long with the dashboards open (their requests' paths), not measured.
        // WARMUP_CYCLES (1) repeats the pair, so the code compiled with the dashboards closed has met them open again
        // (a method compiled for one window's profile is recompiled when the other's comes: that is warm-up too).
        long warmup = Long.parseLong(env("WARMUP_S", "30"));
        int warmupCycles = Integer.parseInt(env("WARMUP_CYCLES", "1"));
        for (int cycle = 0; cycle < warmupCycles; cycle++) {
            TimeUnit.SECONDS.sleep(warmup);
            Dashboards warming = new Dashboards(clients, cookie);
            warming.awaitOpen(Duration.ofSeconds(30));
            TimeUnit.SECONDS.sleep(warmup);
            warming.close();
        }

        List<Double> idle = new ArrayList<>();
        List<Double> watched = new ArrayList<>();
        // What is measured is dashboards kept open, not their coming and going: each window starts SETTLE_S after the
        // dashboards opened or closed (connection set-up and tear-down, and the JIT compiling their paths, fall outside).
        long settle = Long.parseLong(env("SETTLE_S", "5"));
        for (int round = 1; round <= rounds; round++) {
            idle.add(window(pid, ticks, window, 0, round, events, failures, null));
            Dashboards d = new Dashboards(clients, cookie);
            d.awaitOpen(Duration.ofSeconds(30));
            TimeUnit.SECONDS.sleep(settle);
            watched.add(window(pid, ticks, window, clients, round, events, failures, d));
            d.close();
            TimeUnit.SECONDS.sleep(settle);
        }
        generator.shutdownNow();
        fleet.close();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("scenario", "cpu-summary");
        line.put("events", env("EVENTS", "cancel"));
        line.put("clients", clients);
        double i0 = median(idle);
        double i1 = median(watched);
        line.put("median_cpu_pct_0", round2(i0));
        line.put("median_cpu_pct_" + clients, round2(i1));
        line.put("added_pct", round2((i1 - i0) / i0 * 100));
        line.put("added_pct_of_one_core", round2(i1 - i0));
        line.put("threads_median_pct_0_vs_" + clients, threadMedians());
        emit(line);
    }

    private static double window(long pid, long ticks, Duration window, int clients, int round, AtomicLong events, AtomicLong failures,
                                 Dashboards d) throws Exception {
        long e0 = events.get();
        long f0 = failures.get();
        long r0 = d == null ? 0 : d.refreshes.get();
        long sse0 = d == null ? 0 : d.received.get();
        long cards0 = d == null ? 0 : d.cards.get();
        long[] jit0 = compilations(pid);
        Map<String, Long> th0 = threadTicks(pid);
        long c0 = cpuTicks(pid);
        long t0 = System.nanoTime();
        TimeUnit.NANOSECONDS.sleep(window.toNanos());
        long c1 = cpuTicks(pid);
        Map<String, Long> th1 = threadTicks(pid);
        long[] jit1 = compilations(pid);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double pct = (c1 - c0) * 100.0 / ticks / seconds;
        Map<String, Double> threads = new java.util.TreeMap<>();
        for (var e : th1.entrySet()) {
            long delta = e.getValue() - th0.getOrDefault(e.getKey(), 0L);
            if (delta > 0) {
                threads.put(e.getKey(), round2(delta * 100.0 / ticks / seconds));
            }
        }
        (d == null ? IDLE_THREADS : WATCHED_THREADS).add(threads);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("scenario", "cpu");
        line.put("events", env("EVENTS", "cancel"));
        line.put("round", round);
        line.put("clients", clients);
        line.put("seconds", round2(seconds));
        line.put("cpu_pct_of_one_core", round2(pct));
        line.put("events_per_s", round2((events.get() - e0) / seconds));
        line.put("event_request_failures", failures.get() - f0);
        if (d != null) {
            line.put("sse_events_received_per_s", round2((d.received.get() - sse0) / seconds));
            line.put("cards_pushed_per_s", round2((d.cards.get() - cards0) / seconds));
            line.put("fragment_refreshes_per_s", round2((d.refreshes.get() - r0) / seconds));
            line.put("fragment_failures", d.failures.get());
            line.put("streams_open", d.open.get());
        }
        line.put("load_avg", Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        if (jit0 != null && jit1 != null) {
            // What the JIT did in the window: methods compiled, compiled code thrown away (deoptimised), compile time.
            line.put("jit_compiled", jit1[0] - jit0[0]);
            line.put("jit_invalidated", jit1[1] - jit0[1]);
            line.put("jit_ms", jit1[2] - jit0[2]);
        }
        line.put("threads_pct_of_one_core", threads);
        emit(line);
        return pct;
    }

    private static final List<Map<String, Double>> IDLE_THREADS = new ArrayList<>();
    private static final List<Map<String, Double>> WATCHED_THREADS = new ArrayList<>();

    /**
     * The CPU ticks of the process's threads, grouped by name (the kernel's 15-character {@code comm}, digits folded
     * into {@code #}: a pool's threads are one group); threads that ended during a window are not counted in it.
     */
    private static Map<String, Long> threadTicks(long pid) throws Exception {
        Map<String, Long> byName = new java.util.HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(t.resolve("stat"));
                } catch (java.io.IOException gone) {
                    continue; // the thread ended
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "#");
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                byName.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
            }
        }
        return byName;
    }

    /** Per thread group: the median over the rounds of its share with no dashboard and with them, the largest change first. */
    private static Map<String, Object> threadMedians() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        IDLE_THREADS.forEach(m -> names.addAll(m.keySet()));
        WATCHED_THREADS.forEach(m -> names.addAll(m.keySet()));
        List<Map.Entry<String, double[]>> rows = new ArrayList<>();
        for (String n : names) {
            double a = median(IDLE_THREADS.stream().map(m -> m.getOrDefault(n, 0.0)).toList());
            double b = median(WATCHED_THREADS.stream().map(m -> m.getOrDefault(n, 0.0)).toList());
            rows.add(Map.entry(n, new double[] {a, b}));
        }
        rows.sort((x, y) -> Double.compare(Math.abs(y.getValue()[1] - y.getValue()[0]), Math.abs(x.getValue()[1] - x.getValue()[0])));
        Map<String, Object> out = new LinkedHashMap<>();
        for (var r : rows) {
            out.put(r.getKey(), List.of(round2(r.getValue()[0]), round2(r.getValue()[1])));
        }
        return out;
    }

    /**
     * The controller's JIT counters, as the JDK's {@code jstat -compiler} reads them from its performance data: methods
     * compiled, invalidated, and the compile time in ms; null where jstat is missing or the JVM keeps no such data.
     */
    private static long[] compilations(long pid) {
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jstat").toString(), "-compiler",
                    Long.toString(pid)).redirectErrorStream(true).start();
            List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
            if (p.waitFor() != 0 || lines.size() < 2) {
                return null;
            }
            // Compiled Failed Invalid   Time   FailedType FailedMethod
            String[] f = lines.get(1).trim().split("\\s+");
            return new long[] {Long.parseLong(f[0]), Long.parseLong(f[2]), Math.round(Double.parseDouble(f[3]) * 1000)};
        } catch (Exception e) {
            return null;
        }
    }

    private static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
    }

    /**
     * CLIENTS Fleet pages, each doing what its JavaScript does (layout.jte, app.js, fleet.jte, attention_badge.jte):
     * one event stream, the page's own ({@code /ui/fleet/stream}: the attention events and the cards the server pushes
     * when they change, {@code event: cards}); at a clarification event, the attention badge
     * ({@code GET /ui/attention/count}). The page asks for no cards.
     */
    private static final class Dashboards implements AutoCloseable {
        final AtomicLong received = new AtomicLong(); // events (data lines outside a cards frame)
        final AtomicLong cards = new AtomicLong(); // cards frames
        final AtomicLong refreshes = new AtomicLong(); // fragment requests (the badge)
        final AtomicLong failures = new AtomicLong();
        final AtomicLong open = new AtomicLong();
        private final AtomicBoolean closed = new AtomicBoolean();
        private final List<Thread> readers = new ArrayList<>();
        private final ConcurrentLinkedDeque<Stream<String>> bodies = new ConcurrentLinkedDeque<>();
        private final HttpRequest badge;
        private final CountDownLatch opened;

        Dashboards(int count, String cookie) {
            badge = HttpRequest.newBuilder(URI.create(BASE + "/ui/attention/count")).header("Cookie", cookie)
                    .header("HX-Request", "true").header("HX-Current-URL", BASE + "/ui/fleet").GET().build();
            opened = new CountDownLatch(count);
            HttpRequest stream = HttpRequest.newBuilder(URI.create(BASE + "/ui/fleet/stream"))
                    .header("Cookie", cookie).header("Accept", "text/event-stream").GET().build();
            for (int i = 0; i < count; i++) {
                Thread t = new Thread(() -> follow(stream), "dashbench-dashboard-" + i);
                t.setDaemon(true);
                readers.add(t);
                t.start();
            }
        }

        private void follow(HttpRequest stream) {
            try {
                HttpResponse<Stream<String>> r = HTTP.send(stream, HttpResponse.BodyHandlers.ofLines());
                if (r.statusCode() != 200) {
                    failures.incrementAndGet();
                    return;
                }
                bodies.add(r.body());
                open.incrementAndGet();
                opened.countDown();
                boolean[] inCards = {false};
                r.body().forEach(l -> {
                    if (closed.get()) {
                        throw new IllegalStateException("closed");
                    }
                    if (l.equals("event: cards")) {
                        inCards[0] = true;
                    } else if (l.isEmpty() && inCards[0]) {
                        inCards[0] = false; // app.js: the joined data lines replace the cards
                        cards.incrementAndGet();
                    } else if (l.startsWith("data:") && !inCards[0]) { // app.js: an event's data, its type
                        received.incrementAndGet();
                        var data = Json.readTree(l.substring(5).trim());
                        if (data.path("type").asText().startsWith("clarification_")) {
                            refresh(badge);
                        }
                    }
                });
            } catch (Exception e) {
                if (!closed.get()) {
                    failures.incrementAndGet();
                }
            } finally {
                open.decrementAndGet();
            }
        }

        private void refresh(HttpRequest request) {
            if (closed.get()) {
                return;
            }
            HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                if (e != null || r.statusCode() != 200) {
                    failures.incrementAndGet();
                } else {
                    refreshes.incrementAndGet();
                }
            });
        }

        void awaitOpen(Duration limit) throws InterruptedException {
            if (!opened.await(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("only " + open.get() + " event streams opened");
            }
            TimeUnit.SECONDS.sleep(2); // the first cards settle before the window starts
        }

        @Override
        public void close() throws InterruptedException {
            closed.set(true);
            bodies.forEach(Stream::close);
            for (Thread t : readers) {
                t.join(10_000);
            }
        }
    }

    /**
     * The events' source (EVENTS {@code cancel} or {@code runs}, see {@link #cpu()}) and the registered workers'
     * heartbeats. {@link #next()} makes one event; in {@code runs}, up to IN_FLIGHT tasks run at once, each moved
     * one step on at its turn (so a run lasts IN_FLIGHT × 4 ticks: 4 s at 20 events/s), by the workers in turn.
     */
    private static final class SimulatedFleet implements AutoCloseable {
        private final String adminKey;
        private final String workerKey;
        private final String mode;
        private final int inFlight;
        private final List<String> workers = new ArrayList<>();
        private final ConcurrentLinkedDeque<String> created = new ConcurrentLinkedDeque<>();
        private final java.util.ArrayDeque<Run> runs = new java.util.ArrayDeque<>();
        private final Map<String, List<Run>> running = new java.util.concurrent.ConcurrentHashMap<>();
        private final RedisClient redis;
        private final io.lettuce.core.api.StatefulRedisConnection<String, String> connection;
        private final io.agentvine.queue.WorkQueue queue;
        private final io.agentvine.queue.LifecycleStream lifecycle;
        private long n;

        /** A task a worker runs: its claim and the phase it reached (0 claimed, 1 started, 2 in a step). */
        private static final class Run {
            final String worker;
            final io.agentvine.queue.Claim claim;
            final Instant startedAt = Instant.now();
            int phase;

            Run(String worker, io.agentvine.queue.Claim claim) {
                this.worker = worker;
                this.claim = claim;
            }
        }

        SimulatedFleet(String adminKey, String workerKey, String namespace, String mode, int inFlight) throws Exception {
            if (!mode.equals("cancel") && !mode.equals("runs")) {
                throw new IllegalArgumentException("EVENTS: cancel or runs, was " + mode);
            }
            this.adminKey = adminKey;
            this.workerKey = workerKey;
            this.mode = mode;
            this.inFlight = inFlight;
            HttpResponse<String> list = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "/api/v1/workers"))
                    .header("Authorization", "Bearer " + adminKey).GET().build(), HttpResponse.BodyHandlers.ofString());
            var tree = Json.readTree(list.body());
            for (var w : tree.isArray() ? tree : tree.path("content")) {
                workers.add(w.path("id").asText(w.path("worker_id").asText()));
                running.put(workers.get(workers.size() - 1), new java.util.concurrent.CopyOnWriteArrayList<>());
            }
            if (mode.equals("runs") && workers.isEmpty()) {
                throw new IllegalStateException("EVENTS=runs needs registered workers (WORKERS > 0)");
            }
            redis = RedisClient.create(env("REDIS_URL", "redis://127.0.0.1:6379"));
            connection = redis.connect();
            queue = new io.agentvine.queue.WorkQueue(redis, io.agentvine.queue.QueueSettings.defaults().withNamespace(namespace),
                    Clock.systemUTC());
            lifecycle = new io.agentvine.queue.LifecycleStream(connection, namespace);
        }

        /** One event. */
        void next() throws Exception {
            n++;
            if (mode.equals("cancel")) {
                String id = created.pollFirst();
                if (id == null) {
                    created.add(createTask());
                } else {
                    send(HttpRequest.newBuilder(URI.create(BASE + "/api/v1/tasks/" + id))
                            .header("Authorization", "Bearer " + adminKey).DELETE().build());
                }
                return;
            }
            if (runs.size() < inFlight) {
                String id = createTask(); // task_queued
                String worker = workers.get((int) (n % workers.size()));
                var claim = queue.claim(io.agentvine.model.TaskType.FEATURE, worker)
                        .orElseThrow(() -> new IllegalStateException("the new task " + id + " could not be claimed"));
                Run run = new Run(worker, claim);
                runs.addLast(run);
                running.get(worker).add(run);
                return;
            }
            Run run = runs.pollFirst();
            var type = switch (run.phase) {
                case 0 -> io.agentvine.model.LifecycleEventType.STARTED;
                case 1 -> io.agentvine.model.LifecycleEventType.STEP_CHANGED;
                default -> io.agentvine.model.LifecycleEventType.COMPLETED;
            };
            var event = io.agentvine.model.LifecycleEvent.builder(java.util.UUID.randomUUID().toString(), type, run.claim.id(),
                    run.worker, run.claim.attempt(), Instant.now()).taskType(io.agentvine.model.TaskType.FEATURE);
            if (type == io.agentvine.model.LifecycleEventType.STARTED) {
                event.claimedAt(run.startedAt).model("bench-model");
            } else if (type == io.agentvine.model.LifecycleEventType.STEP_CHANGED) {
                event.step(io.agentvine.model.RunStep.AGENT_RUNNING);
            } else {
                queue.ack(run.claim);
                event.result(Map.of("summary", "done"));
                running.get(run.worker).remove(run);
            }
            lifecycle.publish(event.build());
            run.phase++;
            if (run.phase < 3) {
                runs.addLast(run);
            }
        }

        private String createTask() throws Exception {
            String body = "{\"type\":\"feature\",\"repository_url\":\"https://git.example.com/acme/shop.git\",\"branch\":\"main\","
                    + "\"title\":\"Dashboard bench " + n + "\",\"instructions\":\"Add a CSV export of orders.\",\"priority\":\"P2\"}";
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(BASE + "/api/v1/tasks"))
                    .header("Authorization", "Bearer " + adminKey).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build());
            return Json.readTree(r.body()).path("id").asText();
        }

        private static HttpResponse<String> send(HttpRequest req) throws Exception {
            HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException(req.method() + " " + req.uri().getPath() + ": HTTP " + r.statusCode());
            }
            return r;
        }

        /** Each worker's heartbeat, with the tasks it runs (and their step), as WorkerMain sends it. */
        void heartbeats() {
            for (String w : workers) {
                try {
                    List<Map<String, Object>> current = new ArrayList<>();
                    for (Run run : running.get(w)) {
                        Map<String, Object> t = new LinkedHashMap<>();
                        t.put("work_order_id", run.claim.id());
                        t.put("task_id", run.claim.id());
                        t.put("type", "feature");
                        t.put("started_at", run.startedAt.toString());
                        t.put("attempt", run.claim.attempt());
                        current.add(t);
                    }
                    Map<String, Object> beat = new LinkedHashMap<>();
                    beat.put("worker_id", w);
                    beat.put("status", current.isEmpty() ? "idle" : "busy");
                    beat.put("current_tasks", current);
                    beat.put("sent_at", Instant.now().toString());
                    beat.put("metrics", Map.of("cpu_percent", 12.5, "memory_used_bytes", 1_000_000_000L,
                            "memory_total_bytes", 4_000_000_000L, "disk_used_bytes", 10, "disk_free_bytes", 20,
                            "load_average", 0.3, "uptime_seconds", 42));
                    send(HttpRequest.newBuilder(URI.create(BASE + "/api/v1/workers/" + w + "/heartbeat"))
                            .header("Authorization", "Bearer " + workerKey).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(Json.write(beat))).build());
                } catch (Exception e) {
                    System.err.println("heartbeat of " + w + " failed: " + e.getMessage());
                }
            }
        }

        @Override
        public void close() {
            queue.close();
            connection.close();
            redis.shutdown();
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------------

    private static void stats(Map<String, Object> line, double[] ms) {
        double[] s = ms.clone();
        java.util.Arrays.sort(s);
        line.put("p50_ms", round2(pct(s, 50)));
        line.put("p90_ms", round2(pct(s, 90)));
        line.put("p99_ms", round2(pct(s, 99)));
        line.put("max_ms", round2(s[s.length - 1]));
        line.put("load_avg", loadAvg());
    }

    private static String loadAvg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    private static double pct(double[] sorted, double p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double median(List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static void emit(Map<String, Object> line) {
        System.out.println(Json.write(line));
        System.out.flush();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            if (fallback == null) {
                throw new IllegalArgumentException(name + " must be set");
            }
            return fallback;
        }
        return v;
    }
}
