package io.agentvine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentvine.cli.VineRun.Result;
import io.agentvine.model.Json;
import java.io.PrintWriter;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vine events}: the SSE stream from an id, and a dropped connection resumed without a gap or a repeat. */
class EventsCommandTest {
    private static final String REPO = "https://git.example.com/acme/shop.git";
    private TestController controller;

    @TempDir
    Path home;

    @BeforeEach
    void start() {
        controller = new TestController(false);
    }

    @AfterEach
    void stop() {
        controller.close();
    }

    private VineRun vine() {
        return VineRun.against(controller, TestController.ADMIN, home);
    }

    private String create(String title) {
        return vine().createDocsTask(REPO, title);
    }

    @Test
    void events_since_an_id_as_json_lines_and_as_a_table() {
        String first = create("one");
        String second = create("two");
        Result all = vine().run("events", "--since", "0", "--limit", "2", "-o", "json");
        assertThat(all.code()).as(all.toString()).isZero();
        List<JsonNode> events = all.out().lines().map(Json::readTree).toList();
        assertThat(events).extracting(e -> e.path("event").asText()).containsExactly("task_queued", "task_queued");
        assertThat(events.get(0).toString()).contains(first);
        assertThat(events.get(1).toString()).contains(second);

        Result after = vine().run("events", "--since", events.get(0).path("id").asText(), "--limit", "1");
        assertThat(after.out()).startsWith(events.get(1).path("id").asText()).contains("task_queued").contains(second);
    }

    @Test
    void a_dropped_connection_is_resumed_after_the_last_event_seen() throws Exception {
        String first = create("before the drop");
        // vine events runs in its own thread; its stdout is read as it comes.
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Io io = new Io(new PrintWriter(out, true), new PrintWriter(err, true), new ByteArrayInputStream(new byte[0]),
                Map.of("VINE_SERVER", controller.url(), "VINE_KEY", TestController.ADMIN, "XDG_CONFIG_HOME", home.toString()),
                false, Clock.systemUTC());
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() ->
                Vine.run(io, "events", "--since", "0", "--limit", "3", "--reconnect-delay", "PT0.2S", "-o", "json"));
        await().atMost(Duration.ofSeconds(20)).until(() -> lines(out).size() == 1);
        assertThat(lines(out).get(0).toString()).contains(first);

        controller.restart();
        String second = create("after the drop");
        String third = create("and one more");
        assertThat(run.get(30, TimeUnit.SECONDS)).as(err.toString()).isZero();
        List<JsonNode> seen = lines(out);

        assertThat(err.toString()).contains("resuming after event " + seen.get(0).path("id").asText());
        List<Long> ids = new ArrayList<>(seen.stream().map(e -> e.path("id").asLong()).toList());
        assertThat(ids).as("no event twice, none missed, in order").doesNotHaveDuplicates().isSorted();
        assertThat(seen.get(1).toString()).contains(second);
        assertThat(seen.get(2).toString()).contains(third);
    }

    @Test
    void a_refused_key_ends_the_stream_with_exit_4() {
        Result r = VineRun.against(controller, "bad-key", home).run("events", "--limit", "1");
        assertThat(r.code()).isEqualTo(ExitCodes.AUTH);
        assertThat(r.err()).contains("refused the key");
    }

    private static List<JsonNode> lines(StringWriter out) {
        synchronized (out.getBuffer()) {
            return out.toString().lines().map(Json::readTree).toList();
        }
    }
}
