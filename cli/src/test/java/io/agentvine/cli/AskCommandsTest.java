package io.agentvine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentvine.cli.VineRun.Result;
import io.agentvine.model.ClarificationKind;
import io.agentvine.model.ClarificationRequest;
import io.agentvine.queue.ClarificationStreams;
import io.agentvine.queue.QueueSettings;
import io.agentvine.queue.WorkQueue;
import io.agentvine.queue.testing.TestRedis;
import io.agentvine.model.TaskType;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Questions and approvals: a worker claims a task from the real queue and asks through the real
 * clarification stream, as the worker agent does; {@code vine} shows, answers, approves and rejects.
 */
class AskCommandsTest {
    private static final String REPO = "https://git.example.com/acme/shop.git";
    private static TestController controller;
    private static RedisClient redis;
    private static StatefulRedisConnection<String, String> connection;
    private static WorkQueue queue;
    private static String workerId;

    @TempDir
    Path home;

    @BeforeAll
    static void start() {
        controller = new TestController(true);
        redis = TestRedis.client();
        connection = redis.connect();
        queue = new WorkQueue(redis, QueueSettings.defaults().withNamespace(controller.namespace()), Clock.systemUTC());
        workerId = controller.registerWorker("asking-worker", List.of("docs", "review", "test"));
    }

    @AfterAll
    static void stop() {
        queue.close();
        connection.close();
        redis.shutdown();
        controller.close();
    }

    private VineRun vine() {
        return VineRun.against(controller, TestController.ADMIN, home);
    }

    /** A task of {@code type} created with vine, claimed by the worker, which then asks; returns {task id, clarification id}. */
    private String[] ask(String type, ClarificationKind kind, String question) {
        Result created = vine().run("task", "create", "--type", type, "--repo", REPO, "--title", "Asks " + kind);
        assertThat(created.code()).as(created.toString()).isZero();
        String taskId = created.out().strip();
        assertThat(queue.claim(TaskType.of(type), workerId).orElseThrow().id()).isEqualTo(taskId);
        String id = "c-" + UUID.randomUUID();
        Instant now = Instant.now();
        boolean approval = kind == ClarificationKind.APPROVAL;
        new ClarificationStreams(connection, controller.namespace()).publishRequest(new ClarificationRequest(null, id, kind, workerId,
                taskId, taskId, question, approval ? List.of() : List.of("PostgreSQL", "H2"), Map.of(), now, now.plus(Duration.ofHours(1)),
                null, approval ? "adds a migration" : null, approval ? List.of("db/V2__orders.sql") : List.of(), Map.of()));
        await().atMost(Duration.ofSeconds(20)).until(() -> vine().run("ask", "list", "-o", "json").json().findValuesAsText("id").contains(id));
        return new String[] {taskId, id};
    }

    @Test
    void a_pending_question_is_listed_the_task_waits_for_a_human_and_an_answer_is_delivered() {
        String[] asked = ask("docs", ClarificationKind.QUESTION, "Which database do the docs describe?");
        Result list = vine().env("COLUMNS", "200").run("ask", "list");
        assertThat(list.out()).contains(asked[1]).contains("Which database do the docs describe?").contains("question");

        Result watch = vine().run("task", "watch", asked[0], "--exit-status");
        assertThat(watch.code()).as(watch.toString()).isEqualTo(ExitCodes.WAITING_FOR_HUMAN);
        assertThat(watch.err()).contains("waiting for a human").contains(asked[1]);

        Result answer = vine().run("ask", "answer", asked[1], "PostgreSQL, as in production", "-o", "json");
        assertThat(answer.code()).as(answer.toString()).isZero();
        assertThat(answer.json().path("status").asText()).isEqualTo("answered");
        assertThat(answer.json().path("answer").asText()).isEqualTo("PostgreSQL, as in production");

        Result twice = vine().run("ask", "answer", asked[1], "again", "-o", "json");
        assertThat(twice.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(twice.errorJson().path("error").asText()).isEqualTo("conflict");
        assertThat(vine().run("ask", "list", "--status", "answered", "-o", "json").json().findValuesAsText("id")).contains(asked[1]);
        assertThat(vine().run("ask", "list", "-o", "json").json().findValuesAsText("id")).doesNotContain(asked[1]);
    }

    @Test
    void without_text_the_answer_is_written_in_the_editor_and_comment_lines_are_dropped() throws Exception {
        String[] asked = ask("test", ClarificationKind.QUESTION, "Which test runner?");
        Path editor = home.resolve("editor.sh");
        // A real editor run: it sees the question as a comment, and writes an answer with a comment line.
        Files.writeString(editor, "#!/bin/sh\ngrep -q '^# Which test runner?' \"$1\" || exit 3\nprintf 'JUnit 5\\n# not sent\\n' > \"$1\"\n");
        assertThat(editor.toFile().setExecutable(true)).isTrue();
        Result r = vine().env("VISUAL", null).env("EDITOR", editor.toString()).run("ask", "answer", asked[1], "-o", "json");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.json().path("answer").asText()).isEqualTo("JUnit 5");
    }

    @Test
    void an_empty_answer_from_the_editor_sends_nothing() throws Exception {
        String[] asked = ask("test", ClarificationKind.QUESTION, "Anything to add?");
        Result r = vine().env("EDITOR", "true").run("ask", "answer", asked[1]);
        assertThat(r.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(r.err()).contains("empty");
        assertThat(vine().run("ask", "list", "-o", "json").json().findValuesAsText("id")).contains(asked[1]);
    }

    @Test
    void approvals_are_approved_or_rejected_with_a_reason() {
        String[] first = ask("review", ClarificationKind.APPROVAL, "Push the migration?");
        Result approve = vine().run("approve", first[1], "-o", "json");
        assertThat(approve.code()).as(approve.toString()).isZero();
        assertThat(approve.json().path("status").asText()).isEqualTo("approved");
        assertThat(approve.err()).contains("approved " + first[1]);

        String[] second = ask("review", ClarificationKind.APPROVAL, "Push the other migration?");
        assertThat(vine().run("reject", second[1]).code()).as("--reason is required").isEqualTo(ExitCodes.USAGE);
        Result reject = vine().run("reject", second[1], "--reason", "not before the release", "-o", "yaml");
        assertThat(reject.code()).as(reject.toString()).isZero();
        JsonNode done = Printer.yamlTree(reject.out());
        assertThat(done.path("status").asText()).isEqualTo("rejected");
        assertThat(done.path("answer").asText()).isEqualTo("not before the release");
    }

    @Test
    void an_unknown_question_is_not_found_and_a_viewer_may_not_answer() {
        Result missing = vine().run("ask", "answer", "c-none", "text", "-o", "json");
        assertThat(missing.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(missing.errorJson().path("status").asInt()).isEqualTo(404);
        Result viewer = VineRun.against(controller, TestController.VIEWER, home).run("approve", "c-none");
        assertThat(viewer.code()).isEqualTo(ExitCodes.AUTH);
        Result badStatus = vine().run("ask", "list", "--status", "maybe", "-o", "json");
        assertThat(badStatus.errorJson().path("field").asText()).isEqualTo("status");
    }
}
