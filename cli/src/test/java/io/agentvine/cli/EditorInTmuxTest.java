package io.agentvine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.agentvine.cli.VineRun.Result;
import io.agentvine.model.ClarificationKind;
import io.agentvine.model.ClarificationRequest;
import io.agentvine.model.TaskType;
import io.agentvine.queue.ClarificationStreams;
import io.agentvine.queue.QueueSettings;
import io.agentvine.queue.WorkQueue;
import io.agentvine.queue.testing.TestRedis;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vine ask answer ID} without text, as a person runs it: its own JVM in a tmux terminal, the
 * real {@code vi} opened on the question, keys typed into it; the answer reaches the controller.
 */
class EditorInTmuxTest {
    @TempDir
    Path home;

    @Test
    void the_answer_typed_in_vi_is_sent() throws Exception {
        assumeTrue(onPath("tmux") && onPath("vi"), "needs tmux and vi");
        String session = "vine-" + UUID.randomUUID().toString().substring(0, 8);
        try (TestController controller = new TestController(true); RedisClient redis = TestRedis.client();
             StatefulRedisConnection<String, String> connection = redis.connect();
             WorkQueue queue = new WorkQueue(redis, QueueSettings.defaults().withNamespace(controller.namespace()), Clock.systemUTC())) {
            String worker = controller.registerWorker("tmux-worker", List.of("docs"));
            VineRun vine = VineRun.against(controller, TestController.ADMIN, home);
            String task = vine.run("task", "create", "--type", "docs", "--repo", "https://git.example.com/a/b.git", "--title", "t").out().strip();
            assertThat(queue.claim(TaskType.DOCS, worker).orElseThrow().id()).isEqualTo(task);
            String id = "c-" + UUID.randomUUID();
            Instant now = Instant.now();
            new ClarificationStreams(connection, controller.namespace()).publishRequest(new ClarificationRequest(null, id,
                    ClarificationKind.QUESTION, worker, task, task, "Which license?", List.of(), Map.of(), now, now.plus(Duration.ofHours(1)),
                    null, null, List.of(), Map.of()));
            await().atMost(Duration.ofSeconds(20)).until(() -> vine.run("ask", "list", "-o", "json").json().findValuesAsText("id").contains(id));

            Path rc = home.resolve("rc");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String command = "env -u VISUAL EDITOR=vi TERM=xterm VINE_SERVER=" + controller.url() + " VINE_KEY=" + TestController.ADMIN
                    + " XDG_CONFIG_HOME=" + home + " " + java + " -cp " + System.getProperty("java.class.path")
                    + " io.agentvine.cli.VineMain ask answer " + id + "; echo $? > " + rc + "; sleep 30";
            tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", command);
            await().atMost(Duration.ofSeconds(30)).until(() -> tmux("capture-pane", "-p", "-t", session).contains("Which license?"));
            tmux("send-keys", "-t", session, "i", "Apache-2.0, like the rest", "Escape");
            tmux("send-keys", "-t", session, ":wq", "Enter");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(rc) && !Files.readString(rc).isBlank());
            assertThat(Files.readString(rc).strip()).isEqualTo("0");
            Result answered = vine.run("ask", "list", "--status", "answered", "-o", "json");
            assertThat(answered.json().findValuesAsText("answer")).contains("Apache-2.0, like the rest");
        } finally {
            new ProcessBuilder("tmux", "kill-session", "-t", session).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static boolean onPath(String tool) throws Exception {
        return new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
    }

    private static String tmux(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "tmux";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
