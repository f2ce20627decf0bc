package io.agentvine.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** GET /api/v1/events: Server-Sent Events with ids; a reconnect with Last-Event-ID misses nothing. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventsStreamTest implements TestPropertyProvider {
    private static final String ADMIN = "admin-key-sse";

    @Inject
    EmbeddedServer server;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Stream<String>> streams = new ArrayList<>();

    @Override
    public Map<String, String> getProperties() {
        return TestProperties.onH2().adminKeys(ADMIN).noBackground().build();
    }

    private String createTask(String title) {
        return new TestHttp(() -> server.getURI().toString()).createDocsTask(ADMIN, title);
    }

    /**
     * Opens the stream; returns once the response came, which the server sends with its first line (a
     * comment naming where the stream starts): from then on every new event reaches this client.
     */
    private Iterator<String> open(String query, String lastEventId) throws Exception {
        Stream<String> lines = SseFrames.open(http, URI.create(server.getURI() + "/api/v1/events" + query), ADMIN, lastEventId);
        streams.add(lines);
        return lines.iterator();
    }

    @AfterEach
    void closeStreams() {
        streams.forEach(Stream::close);
        streams.clear();
    }

    @Test
    void events_carry_ids_and_a_reconnect_with_last_event_id_resumes_after_it() throws Exception {
        String first = createTask("one");
        String second = createTask("two");
        String third = createTask("three");

        List<Map<String, String>> all = SseFrames.read(open("?since=0", null), 3);
        assertThat(all).extracting(f -> f.get("event")).containsOnly("task_queued");
        assertThat(all.get(0).get("data")).contains(first);
        assertThat(all.get(2).get("data")).contains(third);

        List<Map<String, String>> resumed = SseFrames.read(open("", all.get(0).get("id")), 2);
        assertThat(resumed.get(0).get("data")).contains(second);
        assertThat(resumed.get(1).get("data")).contains(third);
        assertThat(Long.parseLong(resumed.get(0).get("id"))).isGreaterThan(Long.parseLong(all.get(0).get("id")));
    }

    @Test
    void a_live_client_receives_new_events_as_they_happen() throws Exception {
        Iterator<String> live = open("", null);
        assertThat(live.next()).as("the stream opens with a comment").startsWith(": streaming events after ");
        String id = createTask("live");
        assertThat(SseFrames.read(live, 1)).singleElement().satisfies(f -> assertThat(f.get("data")).contains(id));
    }

    @Test
    void the_stream_needs_a_key() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.getURI().resolve("/api/v1/events")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
    }
}
