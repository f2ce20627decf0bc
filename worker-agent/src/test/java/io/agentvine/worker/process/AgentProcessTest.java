package io.agentvine.worker.process;

import static io.agentvine.worker.process.TestAgents.PATIENCE;
import static io.agentvine.worker.process.TestAgents.running;
import static io.agentvine.worker.process.TestAgents.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Real subprocesses (bash scripts in a temp dir): output capture, timeouts, stopping whole process trees. */
class AgentProcessTest {
    private static final Duration SHORT_GRACE = Duration.ofMillis(500);

    @TempDir
    Path dir;
    private Path work;
    private Path logFile;
    private final TestAgents.Collected lines = new TestAgents.Collected();
    private final ProcessReaper reaper = new ProcessReaper(false);
    private final List<AgentProcess> started = new ArrayList<>();

    @BeforeEach
    void workspace() throws Exception {
        work = Files.createDirectories(dir.resolve("work"));
        logFile = dir.resolve("logs/t-1.log");
    }

    @AfterEach
    void no_process_thread_or_registration_is_left_behind() {
        started.forEach(AgentProcess::close);
        for (AgentProcess p : started) {
            assertThat(p.isAlive()).isFalse();
            assertThat(p.runningTree()).as("processes of the run still running").isEmpty();
            await().atMost(PATIENCE).until(() -> TestAgents.threadsOf(p.pid()).isEmpty());
        }
        assertThat(reaper.liveCount()).isZero();
    }

    private AgentCommand command(Path script, Map<String, String> env, Set<String> secrets) {
        return new AgentCommand(List.of(script.toString()), work, env, secrets, logFile);
    }

    private AgentProcess start(AgentCommand cmd, LineListener listener, Clock clock, Duration grace) {
        AgentProcess p = AgentProcess.start(cmd, listener, clock, grace, reaper);
        started.add(p);
        return p;
    }

    private AgentProcess start(Path script, Duration grace) {
        return start(command(script, Map.of(), Set.of()), lines, Clock.systemUTC(), grace);
    }

    private List<String> logLines(String tag) throws Exception {
        return Files.readAllLines(logFile).stream().filter(l -> l.contains(" " + tag + " ")).toList();
    }

    /** The text of the log lines tagged {@code tag}, without timestamp and tag. */
    private List<String> logged(String tag) throws Exception {
        return logLines(tag).stream().map(l -> l.substring(l.indexOf(" " + tag + " ") + tag.length() + 2)).toList();
    }

    @Test
    void output_arrives_in_order_to_the_listener_and_in_the_log_tagged_by_stream() throws Exception {
        Path s = script(dir, "agent.sh", """
                echo "dir=$PWD"
                echo "task=$AGENTVINE_TASK_ID"
                echo oops >&2
                echo done
                printf 'no newline at the end'
                exit 3
                """);
        Clock clock = Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC);
        AgentProcess p = start(command(s, Map.of("AGENTVINE_TASK_ID", "t-1"), Set.of()), lines, clock, SHORT_GRACE);

        AgentOutcome o = p.waitFor(PATIENCE);

        assertThat(o).isEqualTo(new AgentOutcome(AgentOutcome.Kind.EXITED, 3, Duration.ZERO));
        assertThat(o.succeeded()).isFalse();
        String pwd = "dir=" + work.toRealPath();
        assertThat(lines.out()).containsExactly(pwd, "task=t-1", "done", "no newline at the end");
        assertThat(lines.err()).containsExactly("oops");
        List<String> log = Files.readAllLines(logFile);
        assertThat(log.get(0)).startsWith("2025-01-02T03:04:05Z sys started pid " + p.pid() + ": argv=[" + s + "]");
        assertThat(log.subList(1, log.size() - 1)).containsExactlyInAnyOrder(
                "2025-01-02T03:04:05Z out " + pwd, "2025-01-02T03:04:05Z out task=t-1", "2025-01-02T03:04:05Z err oops",
                "2025-01-02T03:04:05Z out done", "2025-01-02T03:04:05Z out no newline at the end");
        assertThat(logLines("out")).containsSubsequence("2025-01-02T03:04:05Z out " + pwd,
                "2025-01-02T03:04:05Z out done", "2025-01-02T03:04:05Z out no newline at the end");
        assertThat(log.get(log.size() - 1)).isEqualTo("2025-01-02T03:04:05Z sys exited with 3 after PT0S");
    }

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
    void stdout_and_stderr_are_captured_apart_and_ten_thousand_lines_each_lose_none() throws Exception {
        Path s = script(dir, "flood.sh", "for i in $(seq 1 10000); do echo \"out $i\"; echo \"err $i\" >&2; done\n");
        AgentProcess p = start(s, SHORT_GRACE);

        assertThat(p.waitFor(PATIENCE).succeeded()).isTrue();

        List<String> out = IntStream.rangeClosed(1, 10_000).mapToObj(i -> "out " + i).toList();
        List<String> err = IntStream.rangeClosed(1, 10_000).mapToObj(i -> "err " + i).toList();
        assertThat(lines.out()).isEqualTo(out);
        assertThat(lines.err()).isEqualTo(err);
        assertThat(logged("out")).isEqualTo(out);
        assertThat(logged("err")).isEqualTo(err);
    }

    @Test
    void a_hanging_agent_times_out_and_its_whole_tree_is_gone() throws Exception {
        Path s = script(dir, "hang.sh", "sleep 300 &\necho \"child $!\"\nsleep 300\n");
        AgentProcess p = start(s, SHORT_GRACE);
        long child = lines.pidOf("child");

        AgentOutcome o = p.waitFor(Duration.ofMillis(300));

        assertThat(o.kind()).isEqualTo(AgentOutcome.Kind.TIMED_OUT);
        assertThat(o.exitCode()).as("128 + SIGTERM").isEqualTo(143);
        assertThat(p.isAlive()).isFalse();
        assertThat(running(child)).isFalse();
        assertThat(p.terminationReason()).hasValue("timed out after PT0.3S");
        assertThat(Files.readString(logFile)).contains(" sys stopping: timed out after PT0.3S");
    }

    @Test
    void terminate_stops_every_process_of_the_tree_and_sigkills_what_ignores_sigterm_after_the_grace() throws Exception {
        Path s = script(dir, "tree.sh", """
                ( sleep 300 & echo "child $!"; wait ) &
                ( trap '' TERM; ( sleep 300 & echo "grandchild $!"; wait ) & echo "stubborn $BASHPID"; while true; do sleep 1; done ) &
                echo "parent $$"
                wait
                """);
        AgentProcess p = start(s, SHORT_GRACE);
        List<Long> pids = List.of(lines.pidOf("parent"), lines.pidOf("child"), lines.pidOf("grandchild"), lines.pidOf("stubborn"));
        assertThat(pids).allMatch(TestAgents::running);

        long t0 = System.nanoTime();
        p.terminate("cancelled by an operator");
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

        assertThat(pids).noneMatch(TestAgents::running);
        assertThat(tookMs).as("the SIGTERM-ignoring processes got the grace, then SIGKILL").isGreaterThanOrEqualTo(SHORT_GRACE.toMillis());
        AgentOutcome o = p.waitFor(PATIENCE);
        assertThat(o.kind()).isEqualTo(AgentOutcome.Kind.TERMINATED);
        assertThat(o.exitCode()).isEqualTo(143);
        assertThat(p.terminationReason()).hasValue("cancelled by an operator");
    }

    @Test
    void a_tree_that_heeds_sigterm_is_stopped_without_waiting_for_the_grace() throws Exception {
        Path s = script(dir, "polite.sh", "sleep 300 &\necho \"child $!\"\nsleep 300\n");
        AgentProcess p = start(s, AgentProcess.DEFAULT_GRACE);
        long child = lines.pidOf("child");

        long t0 = System.nanoTime();
        p.terminate("cancelled");

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(AgentProcess.DEFAULT_GRACE.toMillis() / 2);
        assertThat(running(child)).isFalse();
        assertThat(p.isAlive()).isFalse();
    }

    @Test
    void a_remembered_descendant_is_stopped_after_it_was_re_parented_even_without_the_cookie() throws Exception {
        // Without the cookie only the memory of the tree can find the orphan.
        Path s = script(dir, "orphans.sh", """
                ( env -u AGENTVINE_TREE_COOKIE sleep 300 & echo "orphan $!"; while [ ! -e release ]; do sleep 0.05; done ) &
                echo "middle $!"
                while true; do sleep 0.05; done
                """);
        AgentProcess p = start(s, SHORT_GRACE);
        long middle = lines.pidOf("middle");
        long orphan = lines.pidOf("orphan");
        await().atMost(PATIENCE).until(() -> p.remembersDescendant(orphan));

        Files.createFile(work.resolve("release"));
        await().atMost(PATIENCE).until(() -> !running(middle));
        assertThat(ProcessHandle.of(p.pid()).orElseThrow().descendants().map(ProcessHandle::pid))
                .as("out of the agent's reach now").doesNotContain(orphan);
        assertThat(running(orphan)).isTrue();

        p.terminate("cancelled");

        assertThat(running(orphan)).isFalse();
    }

    @Test
    void what_the_agent_leaves_running_is_stopped_when_it_exits_so_its_output_ends() throws Exception {
        // The leftover inherits stdout: as long as it runs, the output would never end.
        Path s = script(dir, "leaves.sh", """
                sleep 300 &
                echo "leftover $!"
                while [ ! -e finish ]; do sleep 0.05; done
                echo bye
                """);
        AgentProcess p = start(s, SHORT_GRACE);
        long leftover = lines.pidOf("leftover");
        await().atMost(PATIENCE).until(() -> p.remembersDescendant(leftover));

        Files.createFile(work.resolve("finish"));
        long t0 = System.nanoTime();
        AgentOutcome o = p.waitFor(PATIENCE);

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(AgentProcess.DRAIN_WAIT.toMillis());
        assertThat(o.kind()).isEqualTo(AgentOutcome.Kind.EXITED);
        assertThat(o.exitCode()).isZero();
        assertThat(running(leftover)).isFalse();
        assertThat(lines.out()).endsWith("bye");
    }

    @Test
    void a_daemon_that_double_forked_is_found_by_the_cookie_when_the_agent_exits_at_once() throws Exception {
        Path s = script(dir, "daemon.sh", """
                echo "cookie ${AGENTVINE_TREE_COOKIE:+set}"
                ( sleep 300 & echo "daemon $!" )
                echo bye
                """);
        AgentProcess p = start(s, SHORT_GRACE);

        AgentOutcome o = p.waitFor(PATIENCE);

        long daemon = lines.pidOf("daemon");
        assertThat(o.succeeded()).isTrue();
        assertThat(running(daemon)).isFalse();
        assertThat(lines.out()).contains("cookie set").endsWith("bye");
    }

    @Test
    void stopping_right_after_the_start_also_catches_what_was_forked_meanwhile() throws Exception {
        // A child forked just before its parent gets SIGTERM is re-parented before any scan sees it.
        Path s = script(dir, "forks.sh", "sleep 300 &\nsleep 300 &\nsleep 300\n");
        for (int i = 0; i < 5; i++) {
            AgentProcess p = start(s, SHORT_GRACE);
            long t0 = System.nanoTime();
            p.close();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("no output held open").isLessThan(AgentProcess.DRAIN_WAIT.toMillis());
            assertThat(p.runningTree()).isEmpty();
        }
    }

    @Test
    void terminate_is_idempotent_from_any_thread_and_every_caller_returns_with_the_tree_down() throws Exception {
        Path s = script(dir, "stubborn.sh", "trap '' TERM\necho \"stubborn $$\"\nwhile true; do sleep 0.05; done\n");
        AgentProcess p = start(s, SHORT_GRACE);
        long stubborn = lines.pidOf("stubborn");
        CountDownLatch go = new CountDownLatch(1);
        List<Boolean> downOnReturn = Collections.synchronizedList(new ArrayList<>());
        List<Thread> callers = new ArrayList<>();
        for (String reason : List.of("cancelled", "lost lease")) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                p.terminate(reason);
                downOnReturn.add(!running(stubborn));
            }, "test-terminate-" + reason);
            t.start();
            callers.add(t);
        }

        go.countDown();
        for (Thread t : callers) {
            t.join(PATIENCE.toMillis());
        }

        assertThat(downOnReturn).containsExactly(true, true);
        assertThat(p.terminationReason()).get().isIn("cancelled", "lost lease");
        long t0 = System.nanoTime();
        p.terminate("once more");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("nothing left to do").isLessThan(SHORT_GRACE.toMillis());
        assertThat(p.waitFor(PATIENCE).kind()).isEqualTo(AgentOutcome.Kind.TERMINATED);
        p.close();
        p.close();
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
    void a_listener_that_throws_costs_no_line_of_the_log_and_is_still_called_for_every_line() throws Exception {
        Path s = script(dir, "chatty.sh", "for i in $(seq 1 100); do echo \"line $i\"; done\n");
        AtomicInteger calls = new AtomicInteger();
        LineListener failing = (stream, line) -> {
            calls.incrementAndGet();
            throw new IllegalStateException("listener broke on " + line);
        };
        AgentProcess p = start(command(s, Map.of(), Set.of()), failing, Clock.systemUTC(), SHORT_GRACE);

        assertThat(p.waitFor(PATIENCE).succeeded()).isTrue();

        assertThat(calls).hasValue(100);
        assertThat(logLines("out")).hasSize(100).last().asString().endsWith(" out line 100");
    }

    @Test
    void a_secret_reaches_the_agent_but_its_value_is_in_no_log_and_no_delivered_line() throws Exception {
        String secret = "sk-ant-s3cr3t-value";
        Path s = script(dir, "secret.sh", """
                test "$ANTHROPIC_API_KEY" = sk-ant-s3cr3t-value && echo "has key"
                echo "key is $ANTHROPIC_API_KEY"
                echo "$ANTHROPIC_API_KEY" >&2
                """);
        AgentCommand cmd = new AgentCommand(List.of(s.toString(), "--key=" + secret), work,
                Map.of("ANTHROPIC_API_KEY", secret, "AGENTVINE_MODEL", "sonnet"), Set.of("ANTHROPIC_API_KEY"), logFile);
        Logger pkg = (Logger) LoggerFactory.getLogger(AgentProcess.class.getPackageName());
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        Level level = pkg.getLevel();
        pkg.setLevel(Level.DEBUG);
        pkg.addAppender(captured);
        try {
            AgentProcess p = start(cmd, lines, Clock.systemUTC(), SHORT_GRACE);
            assertThat(p.waitFor(PATIENCE).succeeded()).isTrue();
            p.close();
            assertThat(p.toString()).doesNotContain(secret);
        } finally {
            pkg.detachAppender(captured);
            pkg.setLevel(level);
        }

        assertThat(lines.out()).containsExactly("has key", "key is ***");
        assertThat(lines.err()).containsExactly("***");
        assertThat(Files.readString(logFile)).contains("has key", "--key=***", "ANTHROPIC_API_KEY(secret)").doesNotContain(secret);
        List<String> logged = captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(logged).as("what was logged through slf4j")
                .anyMatch(m -> m.contains("started") && m.contains("ANTHROPIC_API_KEY"))
                .noneMatch(m -> m.contains(secret));
        assertThat(cmd.describe()).doesNotContain(secret);
        assertThat(cmd.toString()).doesNotContain(secret);
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
