package io.agentvine.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Test support: open a Server-Sent Events stream with a bearer key and read its frames. */
public final class SseFrames {
    private SseFrames() {
    }

    /**
     * Opens {@code uri} as {@code text/event-stream} with the key (and {@code Last-Event-ID} when given);
     * the caller closes the returned lines (each test keeps them to close after it).
     */
    public static Stream<String> open(HttpClient http, URI uri, String key, String lastEventId) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + key)
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(20));
        if (lastEventId != null) {
            req.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> res = http.send(req.build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(res.statusCode()).isEqualTo(200);
        return res.body();
    }

    /** SSE frames until {@code n} events came (comments are not events), each as {id, event, data}. */
    public static List<Map<String, String>> read(Iterator<String> lines, int n) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            List<Map<String, String>> out = new ArrayList<>();
            Map<String, String> frame = new HashMap<>();
            while (out.size() < n && lines.hasNext()) {
                String line = lines.next();
                if (line.isEmpty()) {
                    if (!frame.isEmpty()) {
                        out.add(frame);
                        frame = new HashMap<>();
                    }
                } else if (line.indexOf(':') > 0) {
                    frame.put(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 1).trim());
                }
            }
            return out;
        }).get(20, TimeUnit.SECONDS);
    }
}
