package io.agentvine.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.model.Budget;
import io.agentvine.model.TaskType;
import io.agentvine.model.WorkOrder;
import io.agentvine.worker.agent.output.PriceTable;
import io.agentvine.worker.config.AgentSettings;
import io.agentvine.worker.process.AgentProcess;
import io.agentvine.worker.process.LineListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The demo agent as the worker runs it: a real subprocess in a directory, one canned change per type. */
class DemoAgentTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"feature", "bugfix", "test", "docs", "refactor", "review", "security-audit"})
    void the_demo_agent_makes_its_change_for_each_type_and_says_it_is_a_demo(String type) throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        Files.writeString(ws.resolve("README.md"), "# shop\nTODO: describe the shop\n");
        Path prompt = Files.writeString(tmp.resolve("p.md"), "# Do it\n\nplease\n");
        WorkOrder order = WorkOrder.builder("wo-9", TaskType.of(type)).repositoryUrl("https://github.com/acme/shop.git").branch("main")
                .title("Demo " + type).instructions("please").budget(Budget.defaults()).build();
        AgentRun run = new AgentRun(order, ws, prompt, tmp.resolve("wo-9.log"), tmp.resolve("wo-9.review.md"), "sonnet");
        List<String> out = new CopyOnWriteArrayList<>();
        try (AgentProcess p = AgentProcess.start(new DemoAdapter(AgentSettings.defaults("demo"), Map.of(), PriceTable.defaults())
                .command(run), (LineListener) (s, line) -> out.add(line), Clock.systemUTC())) {
            assertThat(p.waitFor(Duration.ofSeconds(60)).succeeded()).as(String.join("\n", out)).isTrue();
        }
        assertThat(out).anyMatch(l -> l.contains("AgentVine DEMO agent: scripted, no AI model is used"))
                .anyMatch(l -> l.startsWith("Token usage: input="));
        switch (type) {
            case "feature" -> assertThat(ws.resolve("agentvine-demo/features/wo-9.md")).content().contains("# Feature: Demo feature");
            case "bugfix" -> assertThat(ws.resolve("agentvine-demo/CHANGELOG.md")).content().contains("- fixed: Demo bugfix (wo-9)");
            case "test" -> assertThat(ws.resolve("agentvine-demo/tests/wo-9.md")).exists();
            case "docs" -> assertThat(ws.resolve("README.md")).content().contains("## Demo docs");
            case "refactor" -> assertThat(ws.resolve("agentvine-demo/refactor/wo-9.md")).exists();
            case "review" -> {
                assertThat(tmp.resolve("wo-9.review.md")).content().contains("## Findings")
                        .contains("`README.md:2` — an open TODO/FIXME");
                try (var files = Files.list(ws)) {
                    assertThat(files).as("a review changes nothing").containsExactly(ws.resolve("README.md"));
                }
            }
            default -> assertThat(ws.resolve("agentvine-demo/security-audit/wo-9.md")).exists();
        }
    }
}
