package io.agentvine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentvine.cli.VineRun.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vine task ...} against a real controller: what it prints, what {@code -o json} parses to, the exit codes. */
class TaskCommandsTest {
    private static final String REPO = "https://git.example.com/acme/shop.git";
    private static TestController controller;

    @TempDir
    Path home;

    @BeforeAll
    static void start() {
        controller = new TestController(false);
    }

    @AfterAll
    static void stop() {
        controller.close();
    }

    private VineRun vine() {
        return VineRun.against(controller, TestController.ADMIN, home);
    }

    private String create(String title) {
        return vine().createDocsTask(REPO, title);
    }

    @Test
    void create_from_flags_prints_the_id_and_get_shows_the_task() {
        Result created = vine().run("task", "create", "--type", "bugfix", "--repo", REPO, "--title", "Fix totals",
                "--priority", "P1", "--max-turns", "30", "--max-cost", "2.5", "--meta", "ticket=SHOP-1", "--idempotency-key", "shop-1");
        assertThat(created.code()).as(created.toString()).isZero();
        String id = created.out().strip();
        assertThat(id).startsWith("t-");
        assertThat(created.err()).contains("created task " + id).contains("P1");

        JsonNode task = vine().run("task", "get", id, "-o", "json").json();
        assertThat(task.path("id").asText()).isEqualTo(id);
        assertThat(task.path("type").asText()).isEqualTo("bugfix");
        assertThat(task.path("priority").asText()).isEqualTo("P1");
        assertThat(task.path("state").asText()).isEqualTo("queued");

        Result again = vine().run("task", "create", "--type", "bugfix", "--repo", REPO, "--title", "Fix totals",
                "--priority", "P1", "--idempotency-key", "shop-1", "-o", "json");
        assertThat(again.json().path("id").asText()).as("the idempotency key names the same task").isEqualTo(id);
        assertThat(again.json().path("created").asBoolean()).isFalse();

        Result table = vine().run("task", "get", id);
        assertThat(table.out()).contains("repository_url").contains(REPO).contains("Fix totals");
    }

    @Test
    void a_pipeline_from_a_file_depends_on_and_a_follow_up() throws Exception {
        Path yaml = home.resolve("pipeline.yaml");
        Files.writeString(yaml, "repository_url: " + REPO + "\ntitle: CSV export\npipeline:\n"
                + "  - {name: build, type: feature, instructions: Add the export.}\n"
                + "  - {name: cover, type: test, instructions: Test it.}\n");
        Result pipeline = vine().run("task", "create", "-f", yaml.toString());
        assertThat(pipeline.code()).as(pipeline.toString()).isZero();
        List<String> steps = pipeline.out().lines().toList();
        assertThat(steps).hasSize(2).allMatch(id -> id.startsWith("t-"));
        assertThat(pipeline.err()).contains("step build: " + steps.get(0) + " (queued)").contains("step cover: " + steps.get(1) + " (waiting)");
        assertThat(vine().run("task", "get", steps.get(1), "-o", "json").json().path("depends_on").get(0).asText())
                .isEqualTo(steps.get(0));

        Result waiting = vine().run("task", "create", "--type", "docs", "--repo", REPO, "--title", "After both",
                "--depends-on", steps.get(0), "--depends-on", steps.get(1), "-o", "json");
        assertThat(waiting.json().path("state").asText()).isEqualTo("waiting");
        assertThat(waiting.err()).contains("waits for " + steps.get(0) + ", " + steps.get(1));

        Result followUp = vine().stdin("Also handle an empty export.\n").run("task", "follow-up", steps.get(1), "-", "--title", "Empty export");
        assertThat(followUp.code()).as(followUp.toString()).isZero();
        JsonNode made = vine().run("task", "get", followUp.out().strip(), "-o", "json").json();
        assertThat(made.path("title").asText()).isEqualTo("Empty export");
        assertThat(made.path("state").asText()).isEqualTo("waiting");
        assertThat(made.path("chain").findValuesAsText("id")).containsExactly(steps.get(0), steps.get(1), made.path("id").asText());

        Result noText = vine().run("task", "follow-up", steps.get(1));
        assertThat(noText.code()).isEqualTo(ExitCodes.USAGE);
        Result unknown = vine().run("task", "create", "--type", "docs", "--repo", REPO, "--title", "x", "--depends-on", "t-none", "-o", "json");
        assertThat(unknown.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(unknown.errorJson().path("field").asText()).isEqualTo("depends_on");
    }

    @Test
    void create_from_a_yaml_or_json_file_and_flags_win_over_the_file() throws Exception {
        Path yaml = home.resolve("task.yaml");
        Files.writeString(yaml, "type: docs\nrepository_url: " + REPO + "\ntitle: From YAML\npriority: P3\nbudget:\n  max_turns: 5\n");
        Result fromYaml = vine().run("task", "create", "-f", yaml.toString(), "--priority", "P2", "-o", "yaml");
        assertThat(fromYaml.code()).as(fromYaml.toString()).isZero();
        JsonNode created = Printer.yamlTree(fromYaml.out());
        JsonNode task = vine().run("task", "get", created.path("id").asText(), "-o", "json").json();
        assertThat(task.path("title").asText()).isEqualTo("From YAML");
        assertThat(task.path("priority").asText()).isEqualTo("P2");

        Path json = home.resolve("task.json");
        Files.writeString(json, "{\"type\":\"docs\",\"repository_url\":\"" + REPO + "\",\"title\":\"From JSON\"}");
        Result fromJson = vine().run("task", "create", "-f", json.toString(), "-o", "json");
        assertThat(fromJson.json().path("state").asText()).isEqualTo("queued");

        Result fromStdin = vine().stdin("type: docs\nrepository_url: " + REPO + "\ntitle: From stdin\n").run("task", "create", "-f", "-");
        assertThat(fromStdin.code()).as(fromStdin.toString()).isZero();
        assertThat(vine().run("task", "get", fromStdin.out().strip(), "-o", "json").json().path("title").asText()).isEqualTo("From stdin");
    }

    @Test
    void a_bad_field_gets_the_apis_message_naming_the_field() {
        Result r = vine().run("task", "create", "--type", "docs", "--repo", REPO, "--title", "x", "--priority", "P9");
        assertThat(r.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(r.err()).startsWith("error: priority: ").contains("P9");
        assertThat(r.out()).isEmpty();

        Result json = vine().run("task", "create", "--type", "nonsense", "--repo", REPO, "--title", "x", "-o", "json");
        assertThat(json.code()).isEqualTo(ExitCodes.ERROR);
        JsonNode error = json.errorJson();
        assertThat(error.path("error").asText()).isEqualTo("bad_request");
        assertThat(error.path("field").asText()).isEqualTo("type");
        assertThat(error.path("status").asInt()).isEqualTo(400);
        assertThat(error.path("message").asText()).contains("nonsense");
    }

    @Test
    void list_filters_and_pages_and_prints_json_table_and_wide() {
        String id = create("Listed");
        JsonNode page = vine().run("task", "list", "--type", "docs", "--state", "queued", "-o", "json").json();
        assertThat(page.path("content").findValuesAsText("id")).contains(id);
        assertThat(page.path("content").findValuesAsText("type")).containsOnly("docs");

        JsonNode none = vine().run("task", "list", "--state", "completed", "-o", "json").json();
        assertThat(none.path("content").size()).isZero();

        Result table = vine().env("COLUMNS", "100").run("task", "list", "--type", "docs");
        assertThat(table.out().lines().findFirst().orElseThrow()).startsWith("ID").contains("STATE").doesNotContain("REPOSITORY");
        assertThat(table.out()).contains(id);
        assertThat(table.out().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(100));
        assertThat(table.out()).as("no colour when stdout is not a terminal").doesNotContain("\u001b[");

        Result wide = vine().env("COLUMNS", "250").run("task", "list", "-o", "wide");
        assertThat(wide.out().lines().findFirst().orElseThrow()).contains("REPOSITORY").contains("MODEL");

        Result bad = vine().run("task", "list", "--state", "sleeping");
        assertThat(bad.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(bad.err()).contains("state");
    }

    @Test
    void list_pages_older_with_the_cursor_it_printed() {
        String marker = "paged-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String oldest = create("Cursor 1 " + marker);
        String middle = create("Cursor 2 " + marker);
        String newest = create("Cursor 3 " + marker);
        JsonNode first = vine().run("task", "list", "-q", marker, "--size", "2", "-o", "json").json();
        assertThat(first.path("content").findValuesAsText("id")).containsExactly(newest, middle);
        String cursor = first.path("next_cursor").asText();
        assertThat(cursor).isNotBlank();
        JsonNode older = vine().run("task", "list", "-q", marker, "--size", "2", "--cursor", cursor, "-o", "json").json();
        assertThat(older.path("content").findValuesAsText("id")).containsExactly(oldest);
        assertThat(older.has("next_cursor")).isFalse();

        Result table = vine().run("task", "list", "-q", marker, "--size", "2");
        assertThat(table.err()).contains("older tasks: --cursor " + cursor);
        Result both = vine().run("task", "list", "--page", "1", "--cursor", cursor);
        assertThat(both.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(both.err()).contains("cursor");
    }

    @Test
    void list_watch_prints_the_list_at_each_round() {
        String id = create("Watched");
        Result r = vine().run("task", "list", "--watch", "--rounds", "2", "--interval", "PT0.05S");
        assertThat(r.code()).isZero();
        assertThat(r.out().lines().filter(l -> l.startsWith("ID ")).count()).isEqualTo(2);
        assertThat(r.out().lines().filter(l -> l.startsWith(id)).count()).isEqualTo(2);
    }

    @Test
    void cancel_then_watch_exits_5_with_exit_status_and_retry_queues_it_again() {
        String id = create("Cancelled");
        Result cancel = vine().run("task", "cancel", id);
        assertThat(cancel.code()).as(cancel.toString()).isZero();
        assertThat(cancel.err()).contains("cancelled");

        Result watch = vine().run("task", "watch", id, "--exit-status", "-o", "json");
        assertThat(watch.code()).isEqualTo(ExitCodes.TASK_FAILED);
        assertThat(watch.json().path("state").asText()).isEqualTo("cancelled");
        assertThat(vine().run("task", "watch", id).code()).as("without --exit-status the watch itself succeeded").isZero();

        Result again = vine().run("task", "cancel", id, "-o", "json");
        assertThat(again.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(again.errorJson().path("error").asText()).isEqualTo("conflict");

        Result retry = vine().run("task", "retry", id, "-o", "json");
        assertThat(retry.code()).as(retry.toString()).isZero();
        assertThat(retry.json().path("state").asText()).isEqualTo("queued");
    }

    @Test
    void cancel_and_retry_by_filter_count_first_and_act_with_yes() {
        for (int i = 0; i < 3; i++) {
            assertThat(vine().run("task", "create", "--type", "refactor", "--repo", REPO, "--title", "bulk " + i).code()).isZero();
        }
        assertThat(vine().run("task", "list", "--query", "BULK 1", "-o", "json").json().path("content").findValuesAsText("title"))
                .as("--query: text in the title, any case").containsExactly("bulk 1");
        Result dry = vine().run("task", "cancel", "--type", "refactor", "--state", "queued");
        assertThat(dry.code()).as(dry.toString()).isZero();
        assertThat(dry.err()).contains("3 task(s) match").contains("--yes");
        assertThat(dry.out().lines()).hasSize(3).allSatisfy(id -> assertThat(id).startsWith("t-"));
        assertThat(vine().run("task", "list", "--type", "refactor", "--state", "queued", "-o", "json").json().path("content").size())
                .as("a dry run changes nothing").isEqualTo(3);

        Result cancel = vine().run("task", "cancel", "--type", "refactor", "--state", "queued", "--yes");
        assertThat(cancel.code()).as(cancel.toString()).isZero();
        assertThat(cancel.err()).contains("cancel: 3 of 3 task(s)");
        assertThat(vine().run("task", "list", "--type", "refactor", "--state", "cancelled", "-o", "json").json().path("content").size())
                .isEqualTo(3);

        Result retry = vine().run("task", "retry", "--type", "refactor", "--state", "cancelled", "--yes", "-o", "json");
        assertThat(retry.code()).as(retry.toString()).isZero();
        assertThat(vine().run("task", "list", "--type", "refactor", "--state", "queued", "-o", "json").json().path("content").size())
                .isEqualTo(3);

        Result none = vine().run("task", "retry", "--query", "bulk 2", "--yes");
        assertThat(none.code()).as("a skipped task: exit 1").isEqualTo(ExitCodes.ERROR);
        assertThat(none.err()).contains("only failed, dead or cancelled tasks are retried").contains("retry: 0 of 1 task(s)");
        assertThat(vine().run("task", "cancel").code()).as("an id or a filter").isEqualTo(ExitCodes.USAGE);
        assertThat(vine().run("task", "cancel", "t-1", "--type", "refactor").code()).as("not both").isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void create_wait_follows_the_task_and_exits_with_its_outcome() throws Exception {
        CompletableFuture<Result> waiting = CompletableFuture.supplyAsync(() -> vine().run("task", "create", "--type", "test",
                "--repo", REPO, "--title", "Waited for", "--wait", "--interval", "PT0.1S", "-o", "json"));
        String[] id = new String[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonNode content = vine().run("task", "list", "--type", "test", "-o", "json").json().path("content");
            id[0] = content.size() == 1 ? content.get(0).path("id").asText() : null;
            return id[0] != null;
        });
        assertThat(waiting).as("still following a queued task").isNotDone();
        assertThat(vine().run("task", "cancel", id[0]).code()).isZero();
        Result r = waiting.get(20, TimeUnit.SECONDS);
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.TASK_FAILED);
        assertThat(r.err()).contains("created task " + id[0]).contains("task " + id[0] + ": queued").contains("task " + id[0] + ": cancelled");
        assertThat(r.json().path("state").asText()).isEqualTo("cancelled");
    }

    @Test
    void logs_where_prints_the_log_files_location() {
        String id = create("Logged");
        Result r = vine().run("task", "logs", id, "--where");
        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("keeps the attempt's full log here");
        assertThat(r.out().strip()).isEqualTo(vine().run("task", "get", id, "-o", "json").json().path("log_location").asText(""));
    }

    @Test
    void an_unknown_task_is_an_error_and_a_usage_mistake_exits_2() {
        Result missing = vine().run("task", "get", "t-does-not-exist", "-o", "json");
        assertThat(missing.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(missing.errorJson().path("status").asInt()).isEqualTo(404);

        Result usage = vine().run("task", "frobnicate");
        assertThat(usage.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(usage.err()).contains("frobnicate");
        assertThat(vine().run("task", "list", "-o", "xml").code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void a_bad_key_exits_4_with_a_clear_message_and_never_prints_the_key() {
        Result r = VineRun.against(controller, "wrong-key-123", home).run("task", "list");
        assertThat(r.code()).isEqualTo(ExitCodes.AUTH);
        assertThat(r.err()).contains("refused the key").contains("401").doesNotContain("wrong-key-123");

        Result viewer = VineRun.against(controller, TestController.VIEWER, home)
                .run("task", "create", "--type", "docs", "--repo", REPO, "--title", "x", "-o", "json");
        assertThat(viewer.code()).as("a viewer key may read, not create").isEqualTo(ExitCodes.AUTH);
        assertThat(viewer.errorJson().path("status").asInt()).isEqualTo(403);
        assertThat(VineRun.against(controller, TestController.VIEWER, home).run("task", "list").code()).isZero();
    }

    @Test
    void an_unreachable_server_is_an_error_naming_it() {
        Result r = new VineRun(home).env("VINE_SERVER", "http://127.0.0.1:1").env("VINE_KEY", "k").run("task", "list");
        assertThat(r.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(r.err()).contains("cannot reach the server at http://127.0.0.1:1");
    }

    @Test
    void help_documents_the_exit_codes() {
        Result r = new VineRun(home).run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Exit codes:").containsPattern("4 +authentication").contains("VINE_KEY").contains("130").contains("task");
    }
}
