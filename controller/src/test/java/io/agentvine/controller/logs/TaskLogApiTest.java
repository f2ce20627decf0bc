package io.agentvine.controller.logs;

import io.agentvine.controller.SseFrames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentvine.controller.TestHttp;
import io.agentvine.controller.TestProperties;
import io.agentvine.controller.config.ControllerSettings;
import io.agentvine.controller.lifecycle.LifecycleApplier;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.model.LifecycleEventType;
import io.agentvine.queue.AttemptLogStream;
import io.agentvine.queue.testing.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code GET /api/v1/tasks/{id}/log} and {@code …/log/stream} on H2 and a real Redis, the worker's side
 * played by {@link AttemptLogStream.Writer} as the worker's shipper uses it: pages ({@code after},
 * {@code limit}), the attempt, 404, an expired log (410), the SSE stream live, resumed with
 * Last-Event-ID, ended by the end entry, and its follower gone when the client goes.
 */
@MicronautTest(transactional = false) // the server's threads must see what the test applies
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskLogApiTest implements TestPropertyProvider {
    private static final String ADMIN = "admin-key-logs";
    private static final String VIEWER = "viewer-key-logs";

    @Inject
    EmbeddedServer server;

    @Inject
    LifecycleApplier applier;

    @Inject
    ControllerSettings settings;

    @Inject
    LogTail tail;

    private final RedisClient redis = TestRedis.client();
    private final StatefulRedisConnection<String, String> writerConnection = redis.connect();
    private AttemptLogStream.Writer writer;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Stream<String>> streams = new ArrayList<>();

    @Override
    public Map<String, String> getProperties() {
        return TestProperties.onH2().adminKeys(ADMIN).with("agentvine.viewer-keys", VIEWER).noBackground()
                .with("agentvine.log-retention", "2h").build();
    }

    private TestHttp api() {
        return new TestHttp(() -> server.getURI().toString());
    }

    private AttemptLogStream.Writer writer() {
        if (writer == null) {
            writer = new AttemptLogStream.Writer(writerConnection, 10_000, Duration.ofHours(2));
        }
        return writer;
    }

    @AfterEach
    void closeStreams() {
        streams.forEach(Stream::close);
        streams.clear();
    }

    @AfterAll
    void closeRedis() {
        writerConnection.close();
        redis.shutdown();
    }

    private String startedTask() {
        String id = api().createDocsTask(ADMIN, "logs");
        applier.apply(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.STARTED, id, "w-1", 1, Instant.now()).build());
        return id;
    }

    private void complete(String id, int attempt) {
        applier.apply(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.COMPLETED, id, "w-1", attempt,
                Instant.now()).build());
    }

    private String key(String task, int attempt) {
        return AttemptLogStream.key(settings.getQueueNamespace(), task, attempt);
    }

    private void write(String task, int from, int n, boolean end) {
        List<AttemptLogStream.Line> lines = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            lines.add(new AttemptLogStream.Line(Instant.parse("2026-12-02T08:00:00Z").plusSeconds(i), i % 5 == 4 ? "err" : "out",
                    "line " + i));
        }
        writer().append(key(task, 1), lines, end, Instant.now(), Duration.ofSeconds(10));
    }

    private TestHttp.Reply get(String path, String key) {
        return api().send("GET", path, TestHttp.bearer(key), null, Map.of());
    }

    @SuppressWarnings("unchecked")
    private static List<String> texts(Map<String, Object> page) {
        return ((List<Map<String, Object>>) page.get("lines")).stream().map(l -> (String) l.get("text")).toList();
    }

    @Test
    void pages_follow_after_and_limit_and_the_last_one_says_finished() {
        String task = startedTask();
        write(task, 0, 25, false);
        String base = "/api/v1/tasks/" + task + "/log";

        TestHttp.Reply first = get(base + "?limit=10", VIEWER);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        Map<String, Object> p1 = first.json();
        assertThat(p1).containsEntry("task_id", task).containsEntry("attempt", 1).containsEntry("finished", false);
        assertThat(texts(p1)).containsExactly("line 0", "line 1", "line 2", "line 3", "line 4", "line 5", "line 6", "line 7",
                "line 8", "line 9");
        @SuppressWarnings("unchecked")
        Map<String, Object> line4 = ((List<Map<String, Object>>) p1.get("lines")).get(4);
        assertThat(line4).containsEntry("stream", "err").containsEntry("at", "2026-12-02T08:00:04Z").containsKey("id");

        Map<String, Object> p2 = get(base + "?limit=10&after=" + p1.get("next"), ADMIN).json();
        assertThat(texts(p2)).first().isEqualTo("line 10");
        assertThat(texts(p2)).hasSize(10);
        Map<String, Object> p3 = get(base + "?after=" + p2.get("next"), ADMIN).json();
        assertThat(texts(p3)).containsExactly("line 20", "line 21", "line 22", "line 23", "line 24");
        assertThat(p3).containsEntry("finished", false);
        Map<String, Object> empty = get(base + "?after=" + p3.get("next"), ADMIN).json();
        assertThat(texts(empty)).isEmpty();
        assertThat(empty).containsEntry("next", p3.get("next")).containsEntry("finished", false);

        write(task, 25, 2, true);
        Map<String, Object> last = get(base + "?attempt=1&after=" + p3.get("next"), ADMIN).json();
        assertThat(texts(last)).containsExactly("line 25", "line 26");
        assertThat(last).containsEntry("finished", true);
        Map<String, Object> after = get(base + "?after=" + last.get("next"), ADMIN).json();
        assertThat(texts(after)).isEmpty();
        assertThat(after).containsEntry("finished", true);
        Map<String, Object> all = get(base + "?limit=1000", ADMIN).json();
        assertThat(texts(all)).hasSize(27);
        assertThat(all).containsEntry("finished", true);
    }

    @Test
    void unusable_parameters_are_refused_naming_them_and_an_unknown_task_is_a_404() {
        String task = startedTask();
        String base = "/api/v1/tasks/" + task + "/log";
        assertThat(get(base + "?after=abc", ADMIN)).satisfies(r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.json()).containsEntry("field", "after");
        });
        assertThat(get(base + "?limit=0", ADMIN).json()).containsEntry("field", "limit");
        assertThat(get(base + "?limit=1001", ADMIN).json()).containsEntry("field", "limit");
        TestHttp.Reply attempt = get(base + "?attempt=2", ADMIN);
        assertThat(attempt.status()).isEqualTo(400);
        assertThat(attempt.json()).containsEntry("field", "attempt");
        assertThat((String) attempt.json().get("message")).contains("has 1 attempt(s)");

        TestHttp.Reply unknown = get("/api/v1/tasks/t-nothere/log", ADMIN);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json()).containsEntry("field", "id");
        assertThat((String) unknown.json().get("message")).contains("t-nothere");
        assertThat(get("/api/v1/tasks/t-nothere/log/stream", ADMIN).status()).isEqualTo(404);
        assertThat(api().send("GET", base, null, null, Map.of()).status()).isEqualTo(401);
    }

    @Test
    void a_task_that_has_not_started_has_an_empty_log_that_is_not_finished() {
        String task = api().createDocsTask(ADMIN, "waiting");
        Map<String, Object> page = get("/api/v1/tasks/" + task + "/log", ADMIN).json();
        assertThat(page).containsEntry("attempt", 1).containsEntry("finished", false).doesNotContainKey("next"); // null: left out
        assertThat(texts(page)).isEmpty();
    }

    @Test
    void the_log_of_an_ended_attempt_that_redis_no_longer_has_is_gone_with_a_clear_message() {
        String task = startedTask();
        write(task, 0, 3, true);
        complete(task, 1);
        assertThat(get("/api/v1/tasks/" + task + "/log", ADMIN).status()).isEqualTo(200);
        try (StatefulRedisConnection<String, String> c = redis.connect()) {
            c.sync().del(key(task, 1)); // what its EXPIRE does after the retention
        }
        TestHttp.Reply gone = get("/api/v1/tasks/" + task + "/log", ADMIN);
        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.json()).containsEntry("field", "attempt");
        assertThat((String) gone.json().get("message")).contains("attempt 1 of task " + task).contains("no longer kept")
                .contains("2h").contains("AGENTVINE_LOG_RETENTION");
        assertThat(get("/api/v1/tasks/" + task + "/log/stream", ADMIN).status()).isEqualTo(410);
    }

    // ---- SSE -------------------------------------------------------------------------------------

    private Iterator<String> open(String task, String lastEventId) throws Exception {
        Stream<String> lines = SseFrames.open(http, URI.create(server.getURI() + "/api/v1/tasks/" + task + "/log/stream"), VIEWER, lastEventId);
        streams.add(lines);
        return lines.iterator();
    }

    @Test
    void the_stream_follows_live_resumes_after_last_event_id_and_ends_with_the_end_event() throws Exception {
        String task = startedTask();
        write(task, 0, 3, false);
        Iterator<String> live = open(task, null);
        assertThat(live.next()).startsWith(": following the log of attempt 1 of task " + task);
        List<Map<String, String>> backlog = SseFrames.read(live, 3);
        assertThat(backlog).extracting(f -> f.get("event")).containsOnly("line");
        assertThat(backlog.get(0).get("data")).contains("\"text\":\"line 0\"").contains("\"stream\":\"out\"");

        write(task, 3, 2, false); // arrives while the client listens
        List<Map<String, String>> more = SseFrames.read(live, 2);
        assertThat(more.get(0).get("data")).contains("line 3");
        assertThat(more.get(1).get("data")).contains("line 4").contains("\"stream\":\"err\"");

        // A reconnect after line 1 gets lines 2, 3, 4 and then what comes.
        Iterator<String> resumed = open(task, backlog.get(1).get("id"));
        List<Map<String, String>> again = SseFrames.read(resumed, 3);
        assertThat(again).extracting(f -> f.get("id")).containsExactly(backlog.get(2).get("id"), more.get(0).get("id"),
                more.get(1).get("id"));

        write(task, 5, 1, true);
        for (Iterator<String> client : List.of(live, resumed)) {
            List<Map<String, String>> ending = SseFrames.read(client, 2);
            assertThat(ending.get(0).get("data")).contains("line 5");
            assertThat(ending.get(1).get("event")).isEqualTo("end");
            assertThat(ending.get(1).get("data")).contains("\"attempt\":1").contains(task);
            assertThat(CompletableFuture.supplyAsync(client::hasNext).get(20, TimeUnit.SECONDS)).as("the stream closes after end").isFalse();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> tail.followerCount() == 0);

        // A client that comes back after the end gets the end at once.
        Iterator<String> late = open(task, again.get(2).get("id"));
        List<Map<String, String>> tailEnd = SseFrames.read(late, 2);
        assertThat(tailEnd.get(0).get("data")).contains("line 5");
        assertThat(tailEnd.get(1).get("event")).isEqualTo("end");
        // One that reconnects with the end's own id (an EventSource not closed on the end event) gets the end again, at once.
        List<Map<String, String>> endAgain = SseFrames.read(open(task, tailEnd.get(1).get("id")), 1);
        assertThat(endAgain).singleElement().satisfies(f -> assertThat(f.get("event")).isEqualTo("end"));
    }

    @Test
    void a_client_that_goes_away_stops_its_follower() throws Exception {
        String task = startedTask();
        write(task, 0, 1, false);
        int before = tail.followerCount();
        Iterator<String> live = open(task, null);
        assertThat(SseFrames.read(live, 1)).hasSize(1);
        assertThat(tail.followerCount()).isEqualTo(before + 1);
        streams.remove(streams.size() - 1).close();
        write(task, 1, 1, false); // the server notices the closed connection at the latest when it writes
        await().atMost(Duration.ofSeconds(10)).until(() -> tail.followerCount() == before);
    }

    @Test
    void an_attempt_whose_worker_died_without_its_end_entry_ends_by_the_database() throws Exception {
        String task = startedTask();
        write(task, 0, 1, false);
        complete(task, 1); // ended now: within the grace the stream waits for the end entry
        AttemptLogs.Attempt a = new AttemptLogs.Attempt(task, 1, key(task, 1));
        assertThat(logs.endedWithoutEntry(a)).isFalse();
        assertThat(get("/api/v1/tasks/" + task + "/log", ADMIN).json()).containsEntry("finished", false);
    }

    @Inject
    AttemptLogs logs;
}
