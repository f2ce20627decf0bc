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
    private static final String WORKER_KEY = "worker-key-sse";

    @Inject
    EmbeddedServer server;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Stream<String>> streams = new ArrayList<>();

    @Override
    public Map<String, String> getProperties() {
        return TestProperties.onH2().adminKeys(ADMIN).workerKeys("pool:" + WORKER_KEY + ":*").noBackground().build();
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
        String opening = open("", null).next(); // ": streaming events after <the latest id>"
        long before = Long.parseLong(opening.substring(opening.lastIndexOf(' ') + 1));
        String first = createTask("one");
        String second = createTask("two");
        String third = createTask("three");

        List<Map<String, String>> all = SseFrames.read(open("?since=" + before, null), 3);
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
    void a_stream_of_some_groups_gets_only_their_events_and_each_event_names_its_groups() throws Exception {
        Iterator<String> queue = open("?groups=queue", null);
        Iterator<String> fleet = open("?groups=fleet,attention", null);
        assertThat(queue.next()).startsWith(": streaming events after ");
        assertThat(fleet.next()).startsWith(": streaming events after ");
        String id = createTask("grouped"); // task_queued: the queue's and the task list's, no worker's
        TestHttp.Reply reg = new TestHttp(() -> server.getURI().toString()).send("POST", "/api/v1/workers",
                TestHttp.bearer(WORKER_KEY), ("{\"name\":\"sse-worker\",\"worker_types\":[\"docs\"],\"version\":\"t\","
                        + "\"max_concurrent_tasks\":1}").getBytes(java.nio.charset.StandardCharsets.UTF_8), TestHttp.JSON);
        assertThat(reg.status()).as(reg.body()).isBetween(200, 201);
        String worker = (String) reg.json().get("worker_id");

        Map<String, String> queued = SseFrames.read(queue, 1).get(0);
        assertThat(queued.get("event")).isEqualTo("task_queued");
        assertThat(queued.get("data")).contains(id).contains("\"groups\":[\"queue\",\"tasks\"]");
        Map<String, String> registered = SseFrames.read(fleet, 1).get(0);
        assertThat(registered.get("event")).as("the task_queued before it was not sent").isEqualTo("worker_registered");
        assertThat(registered.get("data")).contains(worker).contains("\"groups\":[\"fleet\"]");
    }

    @Test
    void an_unknown_group_is_refused_naming_the_field() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.getURI() + "/api/v1/events?groups=fleet,flet"))
                .header("Authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("\"field\":\"groups\"").contains("unknown event group 'flet'")
                .contains("fleet, queue, attention, tasks");
    }

    @Test
    void the_stream_needs_a_key() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.getURI().resolve("/api/v1/events")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
    }
}
