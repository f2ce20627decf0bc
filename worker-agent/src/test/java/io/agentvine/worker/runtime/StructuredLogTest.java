package io.agentvine.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentvine.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code AGENTVINE_LOG_FORMAT=json} end to end: a worker JVM with the log configuration of its image
 * runs a task and shuts down; every line it printed is one JSON object with timestamp (ISO-8601, UTC),
 * level, logger, thread and message; the claim, start and end carry {@code event} and the run's ids; the
 * planted secrets (git token, API key) appear in no line.
 */
class StructuredLogTest extends FleetTestBase {
    private static final String TOKEN = "ghp_PlantedTokenX9f3k2Lq8Zt7Vb1Nw4";

    @Test
    void every_line_of_a_run_is_json_with_its_fields_and_no_secret() throws Exception {
        Path agent = fleet.agent("echo \"working on $AGENTVINE_TASK_ID\"\necho done > CHANGELOG.md\n");
        Process jvm = fleet.workerJvm("json-worker", Map.of("AGENTVINE_WORKER_TYPES", "feature", "AGENTVINE_AGENT", "command",
                "AGENTVINE_AGENT_COMMAND", agent.toString(), "AGENTVINE_LOG_FORMAT", "json", "AGENTVINE_GIT_TOKEN", TOKEN),
                List.of("-Dlogback.configurationFile=logback.xml"));
        Path log = tmp.resolve("json-worker.log");
        String task;
        try {
            task = fleet.createTask("feature", "Changelog", "Write it.", "autonomous", null);
            await().atMost(Duration.ofSeconds(60)).until(() -> "completed".equals(fleet.state(task)));
        } finally {
            jvm.destroy(); // SIGTERM: deregisters, logs its shutdown
            assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSizeGreaterThan(3);
        List<JsonNode> entries = new ArrayList<>();
        for (String line : lines) {
            JsonNode n;
            try {
                n = Json.mapper().readTree(line);
            } catch (java.io.IOException notJson) {
                throw new AssertionError("not JSON: " + line + "\n(all lines: " + String.join("\n", lines) + ")", notJson);
            }
            assertThat(n.isObject()).as(line).isTrue();
            for (String field : List.of("timestamp", "level", "logger", "thread", "message")) {
                assertThat(n.hasNonNull(field)).as(field + " in " + line).isTrue();
            }
            assertThat(n.get("timestamp").asText()).as(line).endsWith("Z");
            Instant.parse(n.get("timestamp").asText());
            entries.add(n);
        }
        for (String event : List.of("claimed", "started", "completed")) {
            JsonNode e = entries.stream().filter(n -> event.equals(n.path("event").asText())).findFirst()
                    .orElseThrow(() -> new AssertionError("no line with event " + event + " in " + lines));
            assertThat(e.path("task_id").asText()).isEqualTo(task);
            assertThat(e.path("work_order_id").asText()).isNotBlank();
            assertThat(e.path("worker_id").asText()).isNotBlank();
            assertThat(e.path("attempt").asText()).isEqualTo("1");
        }
        assertThat(entries).filteredOn(n -> n.get("thread").asText().startsWith("worker-task-"))
                .isNotEmpty().allSatisfy(n -> assertThat(n.path("task_id").asText()).isEqualTo(task));
        assertThat(lines).noneMatch(l -> l.contains(TOKEN)).noneMatch(l -> l.contains(fleet.workerKey));
    }
}
