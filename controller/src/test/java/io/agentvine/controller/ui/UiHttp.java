package io.agentvine.controller.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/** Plain HTTP to the dashboard as a browser sends it (no redirect followed), answers parsed with jsoup. */
final class UiHttp {
    /** An answer: its status, headers and body — of an event stream, only what came with its headers. */
    record Reply(int status, HttpHeaders headers, String body) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        Document html() {
            return Jsoup.parse(body);
        }

        /** The session cookie's value set by this answer, or null. */
        String sessionCookie() {
            return headers.allValues("Set-Cookie").stream().filter(c -> c.startsWith("agentvine_session="))
                    .map(c -> c.substring("agentvine_session=".length(), c.indexOf(';') < 0 ? c.length() : c.indexOf(';')))
                    .findFirst().orElse(null);
        }

        String setCookie() {
            return headers.allValues("Set-Cookie").stream().filter(c -> c.startsWith("agentvine_session="))
                    .findFirst().orElse(null);
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Supplier<String> baseUrl;

    UiHttp(Supplier<String> baseUrl) {
        this.baseUrl = baseUrl;
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    /** A page as a browser asks for it (Accept: text/html). */
    Reply page(String path, String cookie) {
        return send("GET", path, cookie, null, Map.of("Accept", "text/html,application/xhtml+xml"));
    }

    /** An htmx request (HX-Request: true). */
    Reply htmx(String method, String path, String cookie, String csrf) {
        Map<String, String> h = new LinkedHashMap<>(Map.of("HX-Request", "true", "Accept", "*/*"));
        if (csrf != null) {
            h.put("X-CSRF-Token", csrf);
        }
        return send(method, path, cookie, null, h);
    }

    Reply signIn(String key) {
        return send("POST", "/ui/login", null, form(Map.of("key", key, "next", "/ui/fleet")),
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Accept", "text/html"));
    }

    Reply send(String method, String path, String cookie, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl.get() + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            b.header("Cookie", "agentvine_session=" + cookie);
        }
        headers.forEach(b::header);
        try {
            HttpResponse<InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                // An event stream does not end: its answer is the status and the headers (FleetCardsFeedTest reads one).
                boolean stream = r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
                return new Reply(r.statusCode(), r.headers(), stream ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
