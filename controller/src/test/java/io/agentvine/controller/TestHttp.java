package io.agentvine.controller;

import io.agentvine.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Plain HTTP to a controller under test (java.net.http, so that a request goes out exactly as
 * written): one request with an Authorization header or none, its answer as status, content type,
 * body and {@code WWW-Authenticate}. An event stream's body is not read.
 */
public final class TestHttp {
    /** An answer; {@link #json()} reads the body as an object. */
    public record Reply(int status, String contentType, String body, String wwwAuthenticate) {
        @SuppressWarnings("unchecked")
        public Map<String, Object> json() {
            return Json.read(body, Map.class);
        }

        /** The error body's {@code field}. */
        public Object field() {
            return json().get("field");
        }
    }

    public static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Supplier<String> baseUrl;

    /** @param baseUrl the server's URL, read at each request (an injected server is there only later) */
    public TestHttp(Supplier<String> baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** {@code s} as one URL path segment or query value: every reserved character escaped, a space as %20. */
    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The Authorization header of {@code key}; null (no header) for a null key. */
    public static String bearer(String key) {
        return key == null ? null : "Bearer " + key;
    }

    /**
     * One request to {@code path} (appended to the server's URL as written).
     *
     * @param authorization the Authorization header's value, or null for none
     * @param body          null for no body
     */
    public Reply send(String method, String path, String authorization, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl.get() + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        headers.forEach(b::header);
        try {
            HttpResponse<InputStream> res = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            String type = res.headers().firstValue("Content-Type").orElse("");
            try (InputStream in = res.body()) {
                // An event stream that was opened is cut off after its first bytes.
                byte[] bytes = type.startsWith("text/event-stream") ? new byte[0] : in.readAllBytes();
                return new Reply(res.statusCode(), type, new String(bytes, StandardCharsets.UTF_8),
                        res.headers().firstValue("WWW-Authenticate").orElse(null));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates a docs task titled {@code title} with the admin key {@code adminKey}; returns its id. */
    public String createDocsTask(String adminKey, String title) {
        String body = "{\"type\":\"docs\",\"repository_url\":\"https://git.example.com/a/b.git\",\"title\":\"" + title + "\"}";
        Reply r = send("POST", "/api/v1/tasks", bearer(adminKey), body.getBytes(StandardCharsets.UTF_8), JSON);
        if (r.status() != 201) {
            throw new AssertionError("creating a task answered " + r.status() + ": " + r.body());
        }
        return (String) r.json().get("id");
    }
}
