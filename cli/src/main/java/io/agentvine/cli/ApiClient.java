package io.agentvine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.agentvine.model.InvalidMessageException;
import io.agentvine.model.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Stream;

/**
 * The controller's HTTP API over {@link HttpClient}: JSON bodies through the contract's {@link Json},
 * every 4xx/5xx turned into a {@link CliException} that keeps the API's {@code error}, {@code field}
 * and {@code message}. The key goes in the Authorization header only.
 */
public final class ApiClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI server;
    private final String key;
    private final HttpClient http;

    public ApiClient(URI server, String key) {
        this.server = server;
        this.key = key;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    public URI server() {
        return server;
    }

    /** A path segment, percent-encoded. */
    public static String seg(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code path?name=value&...} with the non-null values, encoded. */
    public static String query(String path, Map<String, ?> params) {
        StringJoiner q = new StringJoiner("&");
        params.forEach((name, value) -> {
            if (value != null) {
                q.add(seg(name) + "=" + seg(String.valueOf(value)));
            }
        });
        return q.length() == 0 ? path : path + "?" + q;
    }

    public static Map<String, Object> params(Object... nameValues) {
        Map<String, Object> p = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            p.put((String) nameValues[i], nameValues[i + 1]);
        }
        return p;
    }

    public JsonNode get(String path) {
        return json(send(request(path).GET()));
    }

    public JsonNode post(String path, Object body) {
        return json(send(withBody(request(path), "POST", body)));
    }

    public JsonNode put(String path, Object body) {
        return json(send(withBody(request(path), "PUT", body)));
    }

    public JsonNode patch(String path, Object body) {
        return json(send(withBody(request(path), "PATCH", body)));
    }

    public JsonNode delete(String path) {
        return json(send(request(path).DELETE()));
    }

    /** A GET whose status and headers the caller reads itself (doctor, version); no error mapping. */
    public HttpResponse<String> raw(String path, boolean authorized) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(path)).timeout(TIMEOUT).GET();
        if (authorized && key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return exchange(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Opens the event stream after {@code lastEventId} (null: from now, or {@code since} when given). */
    public HttpResponse<Stream<String>> events(String lastEventId, Long since) {
        return stream(query("/api/v1/events", params("since", lastEventId == null ? since : null)), lastEventId);
    }

    /** Opens a Server-Sent Events stream at {@code path}, after {@code lastEventId} when given; a 4xx/5xx is a {@link CliException}. */
    public HttpResponse<Stream<String>> stream(String path, String lastEventId) {
        HttpRequest.Builder b = request(path).header("Accept", "text/event-stream").timeout(Duration.ofDays(365)).GET();
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> res = exchange(b.build(), HttpResponse.BodyHandlers.ofLines());
        if (res.statusCode() >= 400) {
            String body = String.join("\n", res.body().toList());
            throw failure(res.statusCode(), body);
        }
        return res;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(path)).timeout(TIMEOUT).header("Accept", "application/json");
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return b;
    }

    private static HttpRequest.Builder withBody(HttpRequest.Builder b, String method, Object body) {
        return b.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8));
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        HttpResponse<String> res = exchange(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (res.statusCode() >= 400) {
            throw failure(res.statusCode(), res.body());
        }
        return res;
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (ConnectException | HttpTimeoutException e) {
            throw new CliException(ExitCodes.ERROR, "unreachable", "cannot reach the server at " + server + ": "
                    + (e.getMessage() != null ? e.getMessage() : e instanceof ConnectException ? "connection refused" : "timed out"));
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "io_error", "talking to " + server + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.INTERRUPTED, "interrupted", "interrupted");
        }
    }

    private static JsonNode json(HttpResponse<String> res) {
        String body = res.body();
        return body == null || body.isBlank() ? MissingNode.getInstance() : Json.readTree(body);
    }

    static CliException failure(int status, String body) {
        String error = null;
        String field = null;
        String message = body == null || body.isBlank() ? "HTTP " + status : body;
        try {
            JsonNode tree = body == null || body.isBlank() ? MissingNode.getInstance() : Json.readTree(body);
            error = text(tree, "error");
            field = text(tree, "field");
            message = tree.hasNonNull("message") ? tree.get("message").asText() : message;
        } catch (InvalidMessageException notJson) {
            // not the API's error body (a proxy's page): keep it as the message
        }
        return CliException.fromApi(status, error, field, message);
    }

    private static String text(JsonNode tree, String name) {
        return tree.hasNonNull(name) ? tree.get(name).asText() : null;
    }
}
