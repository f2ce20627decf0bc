package io.agentvine.worker.process;

import static io.agentvine.worker.process.TestAgents.PATIENCE;
import static io.agentvine.worker.process.TestAgents.running;
import static io.agentvine.worker.process.TestAgents.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessReaperTest {
    @TempDir
    Path dir;
    private final ProcessReaper reaper = new ProcessReaper(false);
    private final List<AgentProcess> started = new ArrayList<>();

    @AfterEach
    void close_everything() {
        started.forEach(AgentProcess::close);
        for (AgentProcess p : started) {
            assertThat(p.runningTree()).as("processes of the run still running").isEmpty();
        }
    }

    private AgentCommand command(Path script, String log) {
        return new AgentCommand(List.of(script.toString()), dir, Map.of(), Set.of(), dir.resolve("logs/" + log));
    }

    private AgentProcess start(AgentCommand cmd, LineListener listener, Duration grace) {
        AgentProcess p = AgentProcess.start(cmd, listener, Clock.systemUTC(), grace, reaper);
        started.add(p);
        return p;
    }

    @Test
    void terminate_all_stops_every_registered_agent_tree_at_once() throws Exception {
        // Each agent ignores TERM (its trap writes it down), so both are stopped with SIGKILL after the grace; both
        // got the polite TERM first. That the graces run side by side is in terminateAll's code (a thread per tree);
        // a wall-clock bound on it failed on a loaded machine, and a peer-liveness check from the trap was no steadier.
        Duration grace = Duration.ofSeconds(1);
        Path s = script(dir, "stubborn.sh", "trap 'echo term >> \"saw-$$\"' TERM\n"
                + "sleep 300 &\necho \"child $!\"\nwhile true; do sleep 0.05; done\n");
        TestAgents.Collected linesA = new TestAgents.Collected();
        TestAgents.Collected linesB = new TestAgents.Collected();
        AgentProcess a = start(command(s, "a.log"), linesA, grace);
        AgentProcess b = start(command(s, "b.log"), linesB, grace);
        List<Long> children = List.of(linesA.pidOf("child"), linesB.pidOf("child"));
        assertThat(reaper.liveCount()).isEqualTo(2);

        reaper.terminateAll();

        assertThat(a.isAlive()).isFalse();
        assertThat(b.isAlive()).isFalse();
        assertThat(children).noneMatch(TestAgents::running);
        assertThat(Files.readAllLines(dir.resolve("saw-" + a.pid()))).as("a got TERM before SIGKILL").contains("term");
        assertThat(Files.readAllLines(dir.resolve("saw-" + b.pid()))).as("b got TERM before SIGKILL").contains("term");
        assertThat(reaper.liveCount()).isZero();
        assertThat(a.terminationReason()).hasValue("worker JVM shutting down");
    }

    @Test
    void an_agent_that_ends_by_itself_is_unregistered_without_being_waited_for() throws Exception {
        Path s = script(dir, "agent.sh", "while [ ! -e go ]; do sleep 0.05; done\n");
        AgentProcess p = start(command(s, "a.log"), LineListener.NONE, AgentProcess.DEFAULT_GRACE);
        assertThat(reaper.isRegistered(p)).isTrue();

        Files.createFile(dir.resolve("go"));

        await().atMost(PATIENCE).until(() -> !reaper.isRegistered(p));
        assertThat(p.isAlive()).isFalse();
    }

    @Test
    void an_agent_started_while_the_jvm_shuts_down_is_refused_and_stopped_at_once() throws Exception {
        Path s = script(dir, "agent.sh", "sleep 300\n");
        reaper.shutdown();

        assertThatThrownBy(() -> start(command(s, "late.log"), LineListener.NONE, AgentProcess.DEFAULT_GRACE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("shutting down");

        Matcher m = Pattern.compile(" sys started pid (\\d+): ").matcher(Files.readString(dir.resolve("logs/late.log")));
        assertThat(m.find()).isTrue();
        assertThat(running(Long.parseLong(m.group(1)))).isFalse();
        assertThat(reaper.liveCount()).isZero();
    }

    @Test
    void agents_started_through_the_public_api_are_tracked_by_the_jvm_reaper_until_closed() throws Exception {
        Path s = script(dir, "agent.sh", "sleep 300\n");
        AgentProcess p = AgentProcess.start(command(s, "a.log"), LineListener.NONE, Clock.systemUTC(), Duration.ofMillis(300));
        try {
            assertThat(ProcessReaper.instance().isRegistered(p)).isTrue();
        } finally {
            p.close();
        }
        assertThat(p.runningTree()).isEmpty();
        assertThat(ProcessReaper.instance().isRegistered(p)).isFalse();
        assertThat(p.isAlive()).isFalse();
    }
}
