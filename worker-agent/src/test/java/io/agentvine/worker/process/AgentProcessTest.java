package io.agentvine.worker.process;

import static io.agentvine.worker.process.TestAgents.PATIENCE;
import static io.agentvine.worker.process.TestAgents.running;
import static io.agentvine.worker.process.TestAgents.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Real subprocesses (bash scripts in a temp dir): exit, timeouts, close, interrupts, and starts that fail. */
class AgentProcessTest extends AgentProcessFixture {
    @Test
    void the_exit_code_is_empty_while_the_agent_runs_and_reported_once_it_exits() throws Exception {
        Path s = script(dir, "agent.sh", "echo ready\nwhile [ ! -e go ]; do sleep 0.05; done\nexit 7\n");
        AgentProcess p = start(s, SHORT_GRACE);
        await().atMost(PATIENCE).until(() -> lines.out().contains("ready"));
        assertThat(p.isAlive()).isTrue();
        assertThat(p.exitCode()).isEmpty();

        Files.createFile(work.resolve("go"));
        AgentOutcome o = p.waitFor(PATIENCE);

        assertThat(o.kind()).isEqualTo(AgentOutcome.Kind.EXITED);
        assertThat(o.exitCode()).isEqualTo(7);
        assertThat(p.exitCode()).hasValue(7);
        assertThat(p.isAlive()).isFalse();
        assertThat(p.terminationReason()).isEmpty();
        assertThat(p.waitFor(Duration.ZERO)).as("asked again").isSameAs(o);
    }

    @Test
    void terminate_and_close_after_the_agent_exited_are_harmless_and_its_outcome_stays_exited() throws Exception {
        Path s = script(dir, "quick.sh", "echo hi\n");
        AgentProcess p = start(s, SHORT_GRACE);
        AgentOutcome o = p.waitFor(PATIENCE);

        p.terminate("a cancel that came too late");
        p.close();
        p.close();

        assertThat(o.succeeded()).isTrue();
        assertThat(p.waitFor(PATIENCE)).isSameAs(o);
        assertThat(p.terminationReason()).isEmpty();
        assertThat(lines.out()).containsExactly("hi");
    }

    @Test
    void close_stops_an_agent_that_still_runs() throws Exception {
        Path s = script(dir, "hang.sh", "echo \"agent $$\"\nsleep 300\n");
        AgentProcess p = start(s, SHORT_GRACE);
        long pid = lines.pidOf("agent");

        p.close();

        assertThat(running(pid)).isFalse();
        assertThat(p.terminationReason()).hasValue("closed while running");
        assertThat(Files.readAllLines(logFile)).last().asString().contains(" sys terminated with 143 after ");
    }

    @Test
    void an_interrupted_waiter_stops_the_agent_and_keeps_its_interrupt() throws Exception {
        Path s = script(dir, "hang.sh", "echo \"agent $$\"\nsleep 300\n");
        AgentProcess p = start(s, SHORT_GRACE);
        long pid = lines.pidOf("agent");

        Thread.currentThread().interrupt();
        AgentOutcome o = p.waitFor(PATIENCE);

        assertThat(Thread.interrupted()).as("the interrupt is kept (and cleared here)").isTrue();
        assertThat(o.kind()).isEqualTo(AgentOutcome.Kind.TERMINATED);
        assertThat(running(pid)).isFalse();
    }

    @Test
    void a_program_that_does_not_exist_fails_to_start_with_a_clear_message_also_in_the_log() {
        AgentCommand cmd = new AgentCommand(List.of(dir.resolve("no-such-agent").toString()), work, Map.of(), Set.of(), logFile);

        assertThatThrownBy(() -> start(cmd, lines, Clock.systemUTC(), SHORT_GRACE))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot start agent").hasMessageContaining("no-such-agent");
        assertThat(logFile).content().contains(" sys cannot start argv=[" + dir.resolve("no-such-agent") + "]");
    }

    @Test
    void a_missing_working_directory_fails_to_start_with_a_clear_message() throws Exception {
        Path s = script(dir, "agent.sh", "echo hi\n");
        AgentCommand cmd = new AgentCommand(List.of(s.toString()), dir.resolve("gone"), Map.of(), Set.of(), logFile);

        assertThatThrownBy(() -> start(cmd, lines, Clock.systemUTC(), SHORT_GRACE))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("cannot start agent " + s + ": working directory " + dir.resolve("gone") + " does not exist");
    }

    @Test
    void a_negative_timeout_or_grace_is_refused() throws Exception {
        Path s = script(dir, "agent.sh", "echo hi\n");
        assertThatThrownBy(() -> start(s, Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("grace must not be negative");
        AgentProcess p = start(s, SHORT_GRACE);
        assertThatThrownBy(() -> p.waitFor(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout must not be negative");
    }
}
