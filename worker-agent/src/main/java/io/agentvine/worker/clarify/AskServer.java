package io.agentvine.worker.clarify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.agentvine.model.ClarificationKind;
import io.agentvine.model.ClarificationRequest;
import io.agentvine.model.ClarificationResponse;
import io.agentvine.model.ClarificationStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a running agent asks its question: an HTTP endpoint on the loopback only, {@code POST /ask},
 * authorised by a random token per run (so one run cannot ask in another's name), answered when the
 * operator answers — the request stays open meanwhile. The {@code vine-ask} command on the agent's
 * PATH is the client. Body: optional {@code option: …} and {@code context: …} lines, a blank line,
 * then the question (UTF-8). Reply: the answer as text, with {@code X-Outcome} answered, expired
 * (continue on your own judgement), stop (the task ends as needs_clarification) or park (no answer within the
 * run's {@code parkAfter}: the run parks — its work and session saved, its slot freed — and resumes with the
 * answer later, on any worker).
 */
public final class AskServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AskServer.class);
    public static final String URL_VARIABLE = "AGENTVINE_ASK_URL";
    public static final String TOKEN_VARIABLE = "AGENTVINE_ASK_TOKEN";

    /** What the server needs to know about one run while its agent may ask. */
    public record Run(String workerId, String workOrderId, String taskId, Duration timeout, boolean stopOnExpiry,
                      BooleanSupplier stopped, Consumer<String> progress, Runnable stopForClarification, Consumer<Boolean> waiting,
                      Optional<Duration> parkAfter, Consumer<ClarificationRequest> park) {
    }

    private final ClarificationClient client;
    private final Clock clock;
    private final Path binDir;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final Map<String, String> tokens = new ConcurrentHashMap<>(); // run id → its token
    private final SecureRandom random = new SecureRandom();
    private HttpServer server;
    private ExecutorService executor;

    /** @param binDir where {@code vine-ask} is installed; it goes first on each agent's PATH */
    public AskServer(ClarificationClient client, Path binDir, Clock clock) {
        this.client = client;
        this.binDir = binDir.toAbsolutePath();
        this.clock = clock;
    }

    public synchronized void start() {
        if (server != null) {
            return;
        }
        // The answer is one small write after the headers: without TCP_NODELAY, Nagle's algorithm and the
        // client's delayed ACK hold it back by up to 40 ms. Read once, when the first server is created.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            installVineAsk();
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the ask endpoint: " + e.getMessage(), e);
        }
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "worker-ask-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/ask", this::handle);
        server.start();
        log.info("agents ask their questions at {}", url());
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Opens asking for a run: returns the variables its agent gets (URL, token, PATH with vine-ask first). */
    public Map<String, String> open(String runId, Run run) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        runs.put(token, run);
        tokens.put(runId, token);
        Map<String, String> env = new HashMap<>();
        env.put(URL_VARIABLE, url());
        env.put(TOKEN_VARIABLE, token);
        String path = System.getenv("PATH");
        env.put("PATH", binDir + (path == null || path.isEmpty() ? "" : ":" + path));
        return env;
    }

    /** The run is over: its token no longer works. */
    public void close(String runId) {
        String token = tokens.remove(runId);
        if (token != null) {
            runs.remove(token);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"POST".equals(ex.getRequestMethod())) {
                reply(ex, 405, "error", "use POST");
                return;
            }
            String auth = Optional.ofNullable(ex.getRequestHeaders().getFirst("Authorization")).orElse("");
            Run run = auth.startsWith("Bearer ") ? runs.get(auth.substring(7).trim()) : null;
            if (run == null) {
                reply(ex, 401, "error", "unknown or expired run token (AGENTVINE_ASK_TOKEN)");
                return;
            }
            String body;
            try (InputStream in = ex.getRequestBody()) {
                body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            }
            ClarificationRequest request;
            try {
                request = request(run, body);
            } catch (IllegalArgumentException bad) { // InvalidMessageException included
                reply(ex, 400, "error", bad.getMessage());
                return;
            }
            run.progress().accept("asked the operator (" + request.id() + "): " + request.question());
            Optional<ClarificationResponse> response;
            Instant parkAt = run.parkAfter().map(d -> request.createdAt().plus(d)).orElse(request.expiresAt());
            run.waiting().accept(true);
            try {
                response = client.ask(request, run.stopped(), parkAt);
            } finally {
                run.waiting().accept(false);
            }
            if (response.isPresent() && response.get().status() == ClarificationStatus.ANSWERED) {
                run.progress().accept("answer from " + response.get().answeredBy() + ": " + response.get().answer());
                reply(ex, 200, "answered", response.get().answer());
            } else if (run.stopped().getAsBoolean()) {
                reply(ex, 410, "stop", "the run was stopped while waiting for the answer");
            } else if (response.isEmpty() && run.parkAfter().isPresent() && !request.hasExpired(clock.instant())) {
                run.progress().accept("no answer yet (" + request.id() + "): the run parks until the operator answers");
                run.park().accept(request);
                reply(ex, 410, "park", "The run parks until the operator answers: stop here. Your work and your session are "
                        + "saved, and the run resumes with the answer.");
            } else {
                String why = response.map(r -> r.status().wireName() + (r.answer() == null ? "" : ": " + r.answer()))
                        .orElse("nobody answered before " + request.expiresAt());
                if (run.stopOnExpiry()) {
                    run.progress().accept("no answer (" + why + "): the task stops as needs_clarification");
                    reply(ex, 200, "stop", "NO ANSWER (" + why + "). The task stops here; do not continue.");
                    run.stopForClarification().run();
                } else {
                    run.progress().accept("no answer (" + why + "): the agent continues on its own judgement");
                    reply(ex, 200, "expired", "NO ANSWER (" + why + "). Continue on your own judgement and state what you assumed.");
                }
            }
        } catch (RuntimeException e) {
            log.warn("ask failed", e);
            try {
                reply(ex, 502, "error", "cannot reach the operators: " + e.getMessage());
            } catch (IOException ignored) {
                // the agent went away
            }
        }
    }

    private ClarificationRequest request(Run run, String body) {
        int split = body.indexOf("\n\n");
        String head = split < 0 ? "" : body.substring(0, split);
        String question = split < 0 ? body : body.substring(split + 2);
        List<String> options = new ArrayList<>();
        Map<String, Object> context = new HashMap<>();
        for (String line : head.split("\n")) {
            if (line.startsWith("option: ")) {
                options.add(line.substring(8).strip());
            } else if (line.startsWith("context: ")) {
                context.put("note", line.substring(9).strip());
            } else if (!line.isBlank()) {
                throw new IllegalArgumentException("unknown line before the question: '" + line + "' (expected option: or context:)");
            }
        }
        var now = clock.instant();
        return new ClarificationRequest(null, UUID.randomUUID().toString(), ClarificationKind.QUESTION, run.workerId(), run.workOrderId(),
                run.taskId(), question.strip(), options, context, now, now.plus(run.timeout()), null, null, List.of(), Map.of());
    }

    private static void reply(HttpExchange ex, int status, String outcome, String text) throws IOException {
        byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.getResponseHeaders().set("X-Outcome", outcome);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void installVineAsk() throws IOException {
        Files.createDirectories(binDir);
        Path script = binDir.resolve("vine-ask");
        try (InputStream in = AskServer.class.getResourceAsStream("vine-ask")) {
            if (in == null) {
                throw new IOException("vine-ask is missing from the worker jar");
            }
            Files.write(script, in.readAllBytes());
        }
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Idempotent: stops accepting questions; open ones end with 410 as their runs stop. */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server = null;
    }
}
