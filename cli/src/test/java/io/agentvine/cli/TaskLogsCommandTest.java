package io.agentvine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentvine.cli.VineRun.Result;
import io.agentvine.model.Json;
import io.agentvine.queue.AttemptLogStream;
import io.agentvine.queue.testing.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vine task logs} against a real controller and Redis, the worker's shipping played by the
 * stream's writer: all lines page by page, their format, and {@code -f} following live through a
 * controller restart (resumed with Last-Event-ID: nothing missed, nothing twice) until the end event.
 */
class TaskLogsCommandTest {
    private static final String REPO = "https://git.example.com/acme/shop.git";
    private static TestController controller;
    private static RedisClient redis;
    private static StatefulRedisConnection<String, String> connection;
    private static AttemptLogStream.Writer writer;

    @TempDir
    Path home;

    @BeforeAll
    static void start() {
        controller = new TestController(false);
        redis = TestRedis.client();
        connection = redis.connect();
        writer = new AttemptLogStream.Writer(connection, 100_000, Duration.ofHours(1));
    }

    @AfterAll
    static void stop() {
        controller.close();
        connection.close();
        redis.shutdown();
    }

    private VineRun vine() {
        return VineRun.against(controller, TestController.VIEWER, home);
    }

    private String create(String title) {
        return VineRun.against(controller, TestController.ADMIN, home).createDocsTask(REPO, title);
    }

    private static void write(String task, int from, int n, boolean end) {
        List<AttemptLogStream.Line> lines = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            lines.add(new AttemptLogStream.Line(Instant.parse("2026-12-02T09:00:00Z").plusMillis(i), i == 1 ? "err" : "out", "line " + i));
        }
        writer.append(AttemptLogStream.key(controller.namespace(), task, 1), lines, end, Instant.now(), Duration.ofSeconds(10));
    }

    private static List<String> expected(int n) {
        return IntStream.range(0, n).mapToObj(i -> "line " + i).toList();
    }

    @Test
    void logs_prints_every_line_page_by_page_with_times_on_request_and_as_json_lines() {
        String id = create("Paged");
        write(id, 0, 1005, false);
        Result plain = vine().run("task", "logs", id);
        assertThat(plain.code()).as(plain.toString()).isZero();
        assertThat(plain.out().lines().toList()).containsExactlyElementsOf(expected(1005));

        Result stamped = vine().run("task", "logs", id, "-t");
        assertThat(stamped.out().lines().toList().subList(0, 2)).containsExactly("2026-12-02T09:00:00Z out line 0",
                "2026-12-02T09:00:00.001Z err line 1");

        Result json = vine().run("task", "logs", id, "--attempt", "1", "-o", "json");
        List<String> lines = json.out().lines().toList();
        assertThat(lines).hasSize(1005);
        assertThat(Json.readTree(lines.get(1)).path("stream").asText()).isEqualTo("err");
        assertThat(Json.readTree(lines.get(1)).path("text").asText()).isEqualTo("line 1");
        assertThat(Json.readTree(lines.get(1)).path("id").asText()).matches("\\d+-\\d+");
    }

    @Test
    void an_unusable_attempt_is_an_error_naming_it() {
        String id = create("No second attempt");
        Result r = vine().run("task", "logs", id, "--attempt", "2", "-o", "json");
        assertThat(r.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(r.errorJson().path("field").asText()).isEqualTo("attempt");
    }

    @Test
    void follow_prints_lines_as_they_come_resumes_after_a_controller_restart_and_exits_0_at_the_end() throws Exception {
        String id = create("Followed");
        write(id, 0, 3, false);
        StringWriter out = new StringWriter(); // a StringBuffer inside: safe to read while vine writes
        StringWriter err = new StringWriter();
        Io io = new Io(new PrintWriter(out, true), new PrintWriter(err, true), new ByteArrayInputStream(new byte[0]),
                Map.of("XDG_CONFIG_HOME", home.toString(), "HOME", home.toString(), "VINE_SERVER", controller.url(),
                        "VINE_KEY", TestController.VIEWER), false, Clock.systemUTC());
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(
                () -> Vine.run(io, new String[] {"task", "logs", id, "-f", "--reconnect-delay", "PT0.2S"}));

        await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("line 2"));
        controller.restart(); // the stream drops; vine connects again with the last line's id
        write(id, 3, 2, false);
        await().atMost(Duration.ofSeconds(30)).until(() -> out.toString().contains("line 4"));
        assertThat(run).isNotDone();
        write(id, 5, 1, true);

        assertThat(run.get(30, TimeUnit.SECONDS)).as(err.toString()).isZero();
        assertThat(out.toString().lines().toList()).containsExactlyElementsOf(expected(6));
        assertThat(err.toString()).contains("resuming after event").contains("attempt 1 of task " + id + " ended");
    }
}
