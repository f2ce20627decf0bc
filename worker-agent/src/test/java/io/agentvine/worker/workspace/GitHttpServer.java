package io.agentvine.worker.workspace;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real smart-HTTP git server on the loopback, for tests that clone and push over a network
 * transport: the JDK's {@link HttpServer} runs {@code git http-backend} (the CGI program that serves
 * git over HTTP in production too) once per request, behind HTTP Basic authentication that accepts
 * exactly one user name and token. It serves the bare repositories below {@code root}, e.g.
 * {@code url("shop.git")} for {@code root/shop.git}.
 *
 * <p>Per request: a request without the expected {@code Authorization} gets 401 with a
 * {@code WWW-Authenticate} challenge; otherwise the request becomes the CGI environment
 * (GIT_PROJECT_ROOT, GIT_HTTP_EXPORT_ALL, PATH_INFO, REQUEST_METHOD, QUERY_STRING, CONTENT_TYPE,
 * CONTENT_LENGTH, REMOTE_USER, plus the Git-Protocol and Content-Encoding headers git uses), the body
 * goes to the backend's stdin, and its stdout is parsed as CGI output: header lines (a
 * {@code Status:} line sets the status code) up to an empty line, then the body.
 *
 * <p>Every request is recorded ({@link #requests()}), so tests can tell that nothing was pushed.
 */
public final class GitHttpServer implements AutoCloseable {
    /** One served request; {@code user} is null when the request was not authenticated. */
    public record Request(String method, String path, String query, String user, int status) {
        public boolean isPush() {
            return "POST".equals(method) && path.endsWith("/git-receive-pack");
        }
    }

    private final HttpServer server;
    private final ExecutorService handlers;
    private final Path root;
    private final String user;
    private final String expectedAuthorization;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> backendErrors = new CopyOnWriteArrayList<>();

    /** Starts serving at once on an ephemeral port of 127.0.0.1. */
    public GitHttpServer(Path root, String user, String token) throws IOException {
        this.root = root.toAbsolutePath();
        this.user = user;
        this.expectedAuthorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8));
        AtomicInteger n = new AtomicInteger();
        this.handlers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "git-http-server-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(handlers);
        server.start();
    }

    /**
     * Lets {@code git http-backend} accept pushes to {@code bareRepository}. (It would already, as
     * requests carry REMOTE_USER; saying so in the repository makes it independent of that.)
     */
    public static void enablePush(Path bareRepository) throws IOException, InterruptedException {
        TestRepositories.git(bareRepository, "config", "http.receivepack", "true");
    }

    /** The clone URL of {@code name}, a bare repository directory below the root. */
    public String url(String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public long unauthorizedRequests() {
        return requests.stream().filter(r -> r.status() == 401).count();
    }

    public long pushes() {
        return requests.stream().filter(Request::isPush).count();
    }

    /** What {@code git http-backend} wrote to stderr, one entry per request that wrote anything. */
    public List<String> backendErrors() {
        return List.copyOf(backendErrors);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String query = ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery();
            byte[] body = ex.getRequestBody().readAllBytes();
            if (!expectedAuthorization.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                requests.add(new Request(ex.getRequestMethod(), path, query, null, 401));
                ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
                ex.sendResponseHeaders(401, -1);
                return;
            }
            int status = runBackend(ex, path, query, body);
            requests.add(new Request(ex.getRequestMethod(), path, query, user, status));
        } catch (RuntimeException | IOException e) {
            backendErrors.add(e.toString());
            throw e;
        }
    }

    private int runBackend(HttpExchange ex, String path, String query, byte[] body) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("git", "http-backend");
        Map<String, String> env = pb.environment();
        env.put("GIT_PROJECT_ROOT", root.toString());
        env.put("GIT_HTTP_EXPORT_ALL", "1");
        env.put("REQUEST_METHOD", ex.getRequestMethod());
        env.put("PATH_INFO", path);
        env.put("QUERY_STRING", query);
        env.put("CONTENT_LENGTH", Integer.toString(body.length));
        env.put("REMOTE_USER", user);
        env.put("REMOTE_ADDR", "127.0.0.1");
        putHeader(ex, env, "Content-Type", "CONTENT_TYPE");
        putHeader(ex, env, "Content-Encoding", "HTTP_CONTENT_ENCODING"); // JGit gzips larger requests
        putHeader(ex, env, "Git-Protocol", "GIT_PROTOCOL"); // protocol v2
        Process p = pb.start();
        // Feed stdin and drain stderr on their own threads: the backend may answer (e.g. 404) before
        // reading its input, and a full pipe would deadlock us both.
        Thread stdin = pump("git-http-stdin", () -> {
            try (OutputStream in = p.getOutputStream()) {
                in.write(body);
            }
        });
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread stderr = pump("git-http-stderr", () -> p.getErrorStream().transferTo(err));
        try {
            InputStream out = new BufferedInputStream(p.getInputStream());
            int status = 200;
            long length = 0; // chunked unless the backend says
            for (String line = readLine(out); line != null && !line.isEmpty(); line = readLine(out)) {
                int colon = line.indexOf(':');
                String name = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Status")) {
                    status = Integer.parseInt(value.substring(0, 3));
                } else if (name.equalsIgnoreCase("Content-Length")) {
                    length = Long.parseLong(value);
                } else {
                    ex.getResponseHeaders().add(name, value);
                }
            }
            boolean noBody = ex.getRequestMethod().equals("HEAD") || status == 204 || status == 304;
            ex.sendResponseHeaders(status, noBody ? -1 : length);
            if (!noBody) {
                try (OutputStream resp = ex.getResponseBody()) {
                    out.transferTo(resp);
                }
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            stdin.join(10_000);
            stderr.join(10_000);
            if (err.size() > 0) {
                backendErrors.add(path + ": " + err.toString(StandardCharsets.UTF_8).trim());
            }
            return status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while serving " + path, e);
        }
    }

    private static void putHeader(HttpExchange ex, Map<String, String> env, String header, String variable) {
        String value = ex.getRequestHeaders().getFirst(header);
        if (value != null) {
            env.put(variable, value);
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static Thread pump(String name, IoAction action) {
        Thread t = new Thread(() -> {
            try {
                action.run();
            } catch (IOException e) {
                // The backend closed its end first (it had what it needed, or failed): nothing to add.
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != -1; c = in.read()) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.UTF_8);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
    }

    /** Stops serving and ends the handler threads. */
    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
        try {
            if (!handlers.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("git http server handlers did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
