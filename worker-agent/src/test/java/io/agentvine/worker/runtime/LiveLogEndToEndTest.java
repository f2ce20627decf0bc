package io.agentvine.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentvine.queue.AttemptLogStream;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The live log end to end: a real worker runs an agent (the demo agent; a command agent that prints a
 * secret), its output lines arrive in the attempt's Redis stream as the log file has them — masked —
 * with the end entry and the retention's expiry, and the controller serves them.
 */
class LiveLogEndToEndTest extends FleetTestBase {
    private static final String SECRET = "sk-planted-" + java.util.UUID.randomUUID();

    private List<AttemptLogStream.Entry> stream(String taskId, int attempt) {
        try (StatefulRedisConnection<String, String> c = fleet.redis.connect()) {
            return new AttemptLogStream(c).range(AttemptLogStream.key(fleet.namespace, taskId, attempt), null, 100_000);
        }
    }

    private long ttl(String taskId, int attempt) {
        try (StatefulRedisConnection<String, String> c = fleet.redis.connect()) {
            return c.sync().ttl(AttemptLogStream.key(fleet.namespace, taskId, attempt));
        }
    }

    /** The log file's lines ({@code <instant> <tag> <text>}) as (instant, tag, text). */
    private List<List<String>> fileLines(String taskId) throws Exception {
        return fleet.log(taskId).lines().map(l -> {
            String[] p = l.split(" ", 3);
            return List.of(p[0], p[1], p.length > 2 ? p[2] : "");
        }).toList();
    }

    @Test
    void the_demo_agents_lines_arrive_in_the_stream_as_in_the_log_file_then_the_end_and_the_expiry() throws Exception {
        fleet.startWorker(Map.of("AGENTVINE_LOG_RETENTION", "1h"));
        String task = fleet.createTask("docs", "Document the shop", "Write docs.", "autonomous", null);
        await().atMost(Duration.ofSeconds(60)).until(() -> fleet.state(task).equals("completed"));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<AttemptLogStream.Entry> s = stream(task, 1);
            return !s.isEmpty() && s.get(s.size() - 1).isEnd();
        });
        List<AttemptLogStream.Entry> entries = stream(task, 1);
        List<AttemptLogStream.Entry> lines = entries.subList(0, entries.size() - 1);
        assertThat(lines).extracting(e -> List.of(e.at().toString(), e.stream(), e.text())).containsExactlyElementsOf(fileLines(task));
        assertThat(lines).anySatisfy(e -> assertThat(e.text()).startsWith("[demo agent]"));
        assertThat(lines.get(0).stream()).isEqualTo("sys");
        assertThat(lines.get(0).text()).startsWith("started pid ");
        assertThat(ttl(task, 1)).isBetween(3000L, 3600L);

        @SuppressWarnings("unchecked")
        Map<String, Object> page = fleet.api("GET", "/api/v1/tasks/" + task + "/log", null);
        assertThat(page.get("task_id")).isEqualTo(task);
        assertThat(page.get("attempt")).isEqualTo(1);
        assertThat(page.get("finished")).isEqualTo(true);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> served = (List<Map<String, Object>>) page.get("lines");
        assertThat(served).extracting(l -> l.get("text")).containsExactlyElementsOf(lines.stream().map(AttemptLogStream.Entry::text).toList());
        assertThat(served.get(0).get("stream")).isEqualTo("sys");
        assertThat(page.get("next")).isEqualTo(lines.get(lines.size() - 1).id());
    }

    @Test
    void a_secret_the_agent_prints_is_masked_in_the_stream_as_in_the_log_file() throws Exception {
        Path agent = fleet.agent("""
                echo "my key is $ANTHROPIC_API_KEY"
                echo "on stderr: $ANTHROPIC_API_KEY!" >&2
                echo "a change" > CHANGES.md
                """);
        fleet.startWorkerWithAgentEnvironment(Map.of("AGENTVINE_AGENT", "command", "AGENTVINE_AGENT_COMMAND", agent.toString()),
                Map.of("ANTHROPIC_API_KEY", SECRET));
        String task = fleet.createTask("docs", "Print the key", "Print it.", "autonomous", null);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            List<AttemptLogStream.Entry> s = stream(task, 1);
            return !s.isEmpty() && s.get(s.size() - 1).isEnd();
        });
        List<AttemptLogStream.Entry> entries = stream(task, 1);
        assertThat(entries).extracting(AttemptLogStream.Entry::text).contains("my key is ***", "on stderr: ***!");
        assertThat(entries).filteredOn(e -> e.text().equals("on stderr: ***!")).extracting(AttemptLogStream.Entry::stream)
                .containsExactly("err");
        assertThat(entries).allSatisfy(e -> assertThat(e.text()).doesNotContain(SECRET));
        assertThat(fleet.log(task)).contains("my key is ***").doesNotContain(SECRET);
    }
}
