package io.agentvine.worker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real subprocesses (bash scripts in a temp dir): output capture, timeouts, and stopping whole process trees. */
class AgentProcessTest {
    @TempDir
    Path dir;

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final LineListener collect = (stream, line) -> lines.add(stream + ":" + line);

    private Path script(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/usr/bin/env bash\n" + body);
        p.toFile().setExecutable(true);
        return p;
    }

    private AgentCommand command(Path script, Map<String, String> env, Set<String> secrets) {
        return new AgentCommand(List.of(script.toString()), dir, env, secrets, dir.resolve("logs/t-1.log"));
    }

    @Test
    void output_reaches_the_listener_and_the_log_in_order_with_the_exit_code_env_and_directory() throws Exception {
        Path s = script("agent.sh", "echo \"dir=$PWD\"\necho \"task=$AGENTVINE_TASK_ID\"\necho oops >&2\necho done\nexit 3\n");
        try (AgentProcess p = AgentProcess.start(command(s, Map.of("AGENTVINE_TASK_ID", "t-1"), Set.of()), collect,
                Clock.systemUTC())) {
            AgentProcess.Outcome o = p.waitFor(Duration.ofSeconds(10));
            assertThat(o.kind()).isEqualTo(AgentProcess.Outcome.Kind.EXITED);
            assertThat(o.exitCode()).isEqualTo(3);
        }
        assertThat(lines).containsSubsequence("STDOUT:dir=" + dir, "STDOUT:task=t-1", "STDOUT:done").contains("STDERR:oops");
        List<String> log = Files.readAllLines(dir.resolve("logs/t-1.log"));
        assertThat(log).hasSize(4);
        assertThat(log).anyMatch(l -> l.endsWith(" err oops")).anyMatch(l -> l.endsWith(" out done"));
    }

    @Test
    void ten_thousand_lines_printed_at_once_are_all_captured() throws Exception {
        Path s = script("flood.sh", "for i in $(seq 1 10000); do echo \"line $i\"; done\n");
        try (AgentProcess p = AgentProcess.start(command(s, Map.of(), Set.of()), collect, Clock.systemUTC())) {
            assertThat(p.waitFor(Duration.ofSeconds(30)).exitCode()).isZero();
        }
        assertThat(lines).hasSize(10_000).startsWith("STDOUT:line 1").endsWith("STDOUT:line 10000");
    }

    @Test
    void a_hanging_agent_hits_the_timeout_and_is_gone() throws Exception {
        Path s = script("hang.sh", "echo started\nsleep 300\n");
        try (AgentProcess p = AgentProcess.start(command(s, Map.of(), Set.of()), collect, Clock.systemUTC(), Duration.ofMillis(500))) {
            AgentProcess.Outcome o = p.waitFor(Duration.ofMillis(500));
            assertThat(o.kind()).isEqualTo(AgentProcess.Outcome.Kind.TIMED_OUT);
            assertThat(p.isAlive()).isFalse();
            assertThat(p.terminationReason()).startsWith("timeout");
        }
        assertThat(lines).contains("STDOUT:started");
    }

    @Test
    void terminating_stops_the_whole_tree_and_kills_what_ignores_sigterm_after_the_grace() throws Exception {
        Path s = script("tree.sh", """
                ( sleep 300 & echo "child $!"; wait ) &
                ( trap '' TERM; ( sleep 300 & echo "grandchild $!"; wait ) & echo "stubborn $BASHPID"; while true; do sleep 1; done ) &
                echo "parent $$"
                wait
                """);
        try (AgentProcess p = AgentProcess.start(command(s, Map.of(), Set.of()), collect, Clock.systemUTC(), Duration.ofMillis(500))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream().filter(l -> l.matches("STDOUT:(child|grandchild|stubborn|parent) \\d+")).count() == 4);
            List<Long> pids = new ArrayList<>();
            lines.forEach(l -> pids.add(Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))));
            assertThat(pids).allMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

            long t0 = System.nanoTime();
            p.terminate("cancelled by operator");
            p.terminate("again"); // idempotent
            long tookMs = (System.nanoTime() - t0) / 1_000_000;

            assertThat(pids).noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            assertThat(tookMs).as("the SIGTERM-ignoring process needed the grace, then SIGKILL").isGreaterThanOrEqualTo(400);
            assertThat(p.waitFor(Duration.ofSeconds(5)).kind()).isEqualTo(AgentProcess.Outcome.Kind.TERMINATED);
            assertThat(p.terminationReason()).isEqualTo("cancelled by operator");
        }
    }

    @Test
    void the_reaper_stops_every_running_agent_of_the_jvm() throws Exception {
        Path s = script("sleepy.sh", "sleep 300\n");
        AgentProcess a = AgentProcess.start(command(s, Map.of(), Set.of()), LineListener.NONE, Clock.systemUTC(), Duration.ofMillis(300));
        AgentProcess b = AgentProcess.start(command(s, Map.of(), Set.of()), LineListener.NONE, Clock.systemUTC(), Duration.ofMillis(300));
        assertThat(ProcessReaper.instance().liveCount()).isGreaterThanOrEqualTo(2);
        ProcessReaper.instance().terminateAll();
        assertThat(a.isAlive()).isFalse();
        assertThat(b.isAlive()).isFalse();
        a.close();
        b.close();
        assertThat(ProcessReaper.instance().liveCount()).isZero();
    }

    @Test
    void secret_values_are_passed_to_the_agent_but_never_described() throws Exception {
        Path s = script("secret.sh", "test \"$ANTHROPIC_API_KEY\" = sk-ant-123 && echo has-key\n");
        AgentCommand cmd = command(s, Map.of("ANTHROPIC_API_KEY", "sk-ant-123", "AGENTVINE_MODEL", "sonnet"),
                Set.of("ANTHROPIC_API_KEY"));
        assertThat(cmd.describe()).contains("ANTHROPIC_API_KEY=***").contains("AGENTVINE_MODEL=sonnet").doesNotContain("sk-ant-123");
        assertThat(cmd.toString()).doesNotContain("sk-ant-123");
        try (AgentProcess p = AgentProcess.start(cmd, collect, Clock.systemUTC())) {
            assertThat(p.waitFor(Duration.ofSeconds(10)).exitCode()).isZero();
        }
        assertThat(lines).containsExactly("STDOUT:has-key");
    }

    @Test
    void a_program_that_does_not_exist_fails_to_start_with_a_clear_message() {
        AgentCommand cmd = new AgentCommand(List.of(dir.resolve("no-such-agent").toString()), dir, Map.of(), Set.of(),
                dir.resolve("logs/x.log"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AgentProcess.start(cmd, collect, Clock.systemUTC()))
                .hasMessageContaining("cannot start agent").hasMessageContaining("no-such-agent");
    }
}
