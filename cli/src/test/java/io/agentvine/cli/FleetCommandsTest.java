package io.agentvine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentvine.cli.VineRun.Result;
import io.agentvine.model.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vine queue}, {@code worker}, {@code status}, {@code doctor}, {@code version}, {@code completion} against a real controller. */
class FleetCommandsTest {
    private static final String REPO = "https://git.example.com/acme/shop.git";
    private static TestController controller;
    private static String workerId;

    @TempDir
    Path home;

    @BeforeAll
    static void start() {
        controller = new TestController(false);
        workerId = controller.registerWorker("docs-worker-1", List.of("docs"));
        heartbeat();
    }

    @AfterAll
    static void stop() {
        controller.close();
    }

    private static void heartbeat() {
        Map<String, Object> metrics = Map.of("cpu_percent", 3.5, "memory_used_bytes", 104857600L, "memory_total_bytes", 2147483648L,
                "disk_used_bytes", 1073741824L, "disk_free_bytes", 9663676416L, "uptime_seconds", 12);
        controller.post("/api/v1/workers/" + workerId + "/heartbeat", TestController.WORKER,
                Json.write(Map.of("worker_id", workerId, "status", "idle", "sent_at", Instant.now().toString(), "metrics", metrics)));
    }

    private VineRun vine() {
        return VineRun.against(controller, TestController.ADMIN, home);
    }

    @Test
    void budget_lists_the_caps_sets_one_and_resumes_a_scope() {
        Result set = vine().run("budget", "set", "repo", REPO, "--usd", "7.5", "--tokens", "9000", "-o", "json");
        assertThat(set.code()).isZero();
        String key = "git.example.com/acme/shop"; // the repository's key: every form of its URL names it
        assertThat(set.json().path("key").asText()).isEqualTo(key);
        assertThat(set.json().path("cap").path("usd").asDouble()).isEqualTo(7.5);

        JsonNode budgets = vine().run("budget", "-o", "json").json();
        assertThat(find(budgets, "key", key).path("cap").path("tokens").asLong()).isEqualTo(9000);
        Result table = vine().env("COLUMNS", "160").run("budget");
        assertThat(table.out().lines().findFirst().orElseThrow()).contains("SCOPE").contains("CAP USD").contains("STATE");
        assertThat(table.out()).contains("fleet").contains(key);

        Result resumed = vine().run("budget", "resume", "repo", REPO);
        assertThat(resumed.code()).isZero();
        assertThat(resumed.err()).contains("resumed the repo " + REPO);
        assertThat(find(vine().run("budget", "-o", "json").json(), "key", key).path("resumed").asBoolean()).isTrue();
        assertThat(vine().run("budget", "set", "fleet", "all").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(vine().run("budget", "set", "galaxy", "all", "--usd", "1").code()).isEqualTo(ExitCodes.ERROR);
    }

    @Test
    void queue_shows_depths_per_type_and_level_and_pauses_and_resumes_a_type() {
        assertThat(vine().run("task", "create", "--type", "docs", "--repo", REPO, "--title", "Queued", "--priority", "P3").code()).isZero();
        JsonNode queues = vine().run("queue", "-o", "json").json();
        JsonNode docs = find(queues, "type", "docs");
        assertThat(docs.path("depth").size()).isGreaterThan(1);
        long depth = 0;
        for (JsonNode d : docs.path("depth")) {
            depth += d.asLong();
        }
        assertThat(depth).isGreaterThanOrEqualTo(1);

        Result table = vine().env("COLUMNS", "120").run("queue");
        assertThat(table.out().lines().findFirst().orElseThrow()).contains("TYPE").contains("PAUSED").contains("HIGH").contains("DEAD");
        assertThat(table.out()).contains("docs");

        assertThat(vine().run("queue", "pause", "docs").code()).isZero();
        assertThat(find(vine().run("queue", "-o", "json").json(), "type", "docs").path("paused").asBoolean()).isTrue();
        Result resume = vine().run("queue", "resume", "docs");
        assertThat(resume.code()).isZero();
        assertThat(resume.err()).contains("resumed the docs queue");
        assertThat(find(vine().run("queue", "-o", "json").json(), "type", "docs").path("paused").asBoolean()).isFalse();

        JsonNode second = vine().run("task", "create", "--type", "docs", "--repo", REPO, "--title", "Second", "--priority", "P3",
                "-o", "json").json();
        Result moved = vine().run("queue", "move", second.path("id").asText(), "--top", "-o", "json");
        assertThat(moved.code()).isZero();
        assertThat(moved.json().path("position").asLong()).isZero();
        assertThat(moved.json().path("task_id").asText()).isEqualTo(second.path("id").asText());
        assertThat(vine().run("queue", "move", second.path("id").asText(), "--top", "--down").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(vine().run("queue", "move", "t-unknown", "--up").code()).isEqualTo(ExitCodes.ERROR);

        Result paused = vine().run("queue", "pause-repo", "git@Example.test:acme/PausedShop.git", "-o", "json");
        assertThat(paused.code()).isZero();
        assertThat(paused.json().path("repository").asText()).isEqualTo("example.test/acme/PausedShop");
        assertThat(vine().run("queue", "paused-repos").out()).contains("REPOSITORY").contains("example.test/acme/PausedShop");
        Result resumedRepo = vine().run("queue", "resume-repo", "https://example.test/acme/PausedShop");
        assertThat(resumedRepo.code()).isZero();
        assertThat(resumedRepo.err()).contains("resumed the repository example.test/acme/PausedShop");
        assertThat(vine().run("queue", "paused-repos", "-o", "json").json()).isEmpty();
        Result badRepo = vine().run("queue", "pause-repo", "../../etc/passwd", "-o", "json");
        assertThat(badRepo.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(badRepo.errorJson().path("message").asText()).contains("repository");

        Result unknown = vine().run("queue", "pause", "nonsense", "-o", "json");
        assertThat(unknown.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(unknown.errorJson().path("message").asText()).contains("nonsense");
    }

    @Test
    void worker_list_pause_resume_and_drain() {
        JsonNode workers = vine().run("worker", "list", "-o", "json").json();
        assertThat(find(workers, "id", workerId).path("name").asText()).isEqualTo("docs-worker-1");
        Result table = vine().env("COLUMNS", "160").run("worker", "list");
        assertThat(table.out()).contains("docs-worker-1").contains("0/2");

        assertThat(vine().run("worker", "pause", workerId).code()).isZero();
        assertThat(find(vine().run("worker", "list", "-o", "json").json(), "id", workerId).path("pending_command").asText()).isEqualTo("pause");
        assertThat(vine().run("worker", "resume", workerId).code()).isZero();
        Result drain = vine().run("worker", "drain", workerId);
        assertThat(drain.code()).isZero();
        assertThat(drain.err()).contains("drain");
        assertThat(vine().run("worker", "pause", "w-unknown").code()).isEqualTo(ExitCodes.ERROR);
    }

    @Test
    void status_is_one_screen_of_slots_queues_running_tasks_and_questions() {
        JsonNode status = vine().run("status", "-o", "json").json();
        assertThat(status.at("/slots/total").asInt()).isEqualTo(2);
        assertThat(status.at("/slots/busy").asInt()).isZero();
        assertThat(status.path("queue").isArray()).isTrue();
        assertThat(status.path("running").isArray()).isTrue();
        assertThat(status.path("pending").isArray()).isTrue();
        Result screen = vine().run("status");
        assertThat(screen.code()).isZero();
        assertThat(screen.out()).contains("Slots: 0 busy, 2 free of 2").contains("Queue:").contains("Running tasks (0)")
                .contains("Pending questions (0)");
    }

    @Test
    void doctor_checks_server_auth_redis_workers_and_clock() {
        heartbeat();
        Result ok = vine().run("doctor", "-o", "json");
        JsonNode checks = ok.json();
        assertThat(checks.findValuesAsText("check")).containsExactly("server", "redis", "clock", "auth", "workers");
        assertThat(find(checks, "check", "redis").path("result").asText()).isEqualTo("ok");
        assertThat(find(checks, "check", "clock").path("result").asText()).isEqualTo("ok");
        assertThat(find(checks, "check", "workers").path("detail").asText()).startsWith("1 healthy");
        assertThat(ok.code()).as(ok.toString()).isZero();

        Result badKey = VineRun.against(controller, "not-a-key", home).run("doctor");
        assertThat(badKey.code()).isEqualTo(ExitCodes.AUTH);
        assertThat(badKey.out()).contains("auth").contains("FAIL").contains("refused the key").doesNotContain("not-a-key");

        Result down = new VineRun(home).env("VINE_SERVER", "http://127.0.0.1:1").run("doctor");
        assertThat(down.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(down.out()).contains("server").contains("FAIL");
    }

    @Test
    void version_shows_client_and_server() {
        JsonNode v = vine().run("version", "-o", "json").json();
        assertThat(v.path("client").asText()).isNotBlank();
        assertThat(v.at("/server/api_version").asText()).isEqualTo("1");
        assertThat(v.at("/server/url").asText()).isEqualTo(controller.url());
        assertThat(vine().run("version").out()).contains("client").contains("API 1");
    }

    @Test
    void completion_scripts_for_bash_and_zsh() {
        Result bash = new VineRun(home).run("completion", "bash");
        assertThat(bash.code()).isZero();
        assertThat(bash.out()).contains("complete -F").contains("task").contains("--exit-status");
        Result zsh = new VineRun(home).run("completion", "zsh");
        assertThat(zsh.out()).startsWith("autoload -U +X compinit").contains("bashcompinit").contains("complete -F");
        assertThat(new VineRun(home).run("completion", "fish").code()).isEqualTo(ExitCodes.USAGE);
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (value.equals(n.path(field).asText())) {
                return n;
            }
        }
        throw new AssertionError("no " + field + "=" + value + " in " + array);
    }
}
