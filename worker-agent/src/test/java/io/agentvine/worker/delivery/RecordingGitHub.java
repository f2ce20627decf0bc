package io.agentvine.worker.delivery;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A recorded, realistic stand-in for GitHub's REST API (the real one cannot be reached from here): it
 * records every request exactly as GitHub would receive it and answers {@code POST .../pulls} the way
 * GitHub does (201 with the pull request), or with a given error status.
 */
public final class RecordingGitHub implements AutoCloseable {
    /** One request as received: method, path, headers (lower-case names) and body. */
    public record Received(String method, String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase());
            return v == null ? null : v.get(0);
        }
    }

    private final HttpServer server;
    private final List<Received> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 201;

    public RecordingGitHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            Map<String, List<String>> headers = new TreeMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), List.copyOf(v)));
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Received(ex.getRequestMethod(), ex.getRequestURI().getPath(), headers, body));
            String reply = status == 201
                    ? "{\"url\":\"https://api.github.com/repos/acme/shop/pulls/1347\",\"id\":1,\"number\":1347,"
                    + "\"state\":\"open\",\"html_url\":\"https://github.com/acme/shop/pull/1347\",\"draft\":false}"
                    : "{\"message\":\"Validation Failed\",\"errors\":[{\"resource\":\"PullRequest\",\"code\":\"custom\","
                    + "\"message\":\"A pull request already exists for acme:agentvine/feature/t-1.\"}]}";
            byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    public URI apiBase() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v3");
    }

    public List<Received> requests() {
        return requests;
    }

    public void answerWith(int newStatus) {
        this.status = newStatus;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
