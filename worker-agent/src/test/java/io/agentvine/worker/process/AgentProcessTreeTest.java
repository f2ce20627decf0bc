package io.agentvine.worker.process;

import static io.agentvine.worker.process.TestAgents.PATIENCE;
import static io.agentvine.worker.process.TestAgents.running;
import static io.agentvine.worker.process.TestAgents.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Stopping whole process trees of real subprocesses: descendants, re-parented ones, double forks, what an agent leaves running. */
class AgentProcessTreeTest extends AgentProcessFixture {
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
}
