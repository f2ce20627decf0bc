package io.agentvine.cli.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.agentvine.queue.testing.TestRedis;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How vine up recognises its own processes, and its Redis PING, against real processes and a real Redis. */
class LeftoversTest {
    @TempDir
    Path tmp;

    @Test
    void a_process_is_ours_only_when_its_start_time_matches_the_recorded_one() {
        ProcessHandle self = ProcessHandle.current();
        Instant started = self.info().startInstant().orElseThrow();
        assertThat(Leftovers.isOurs(self, new StateFile.Entry("controller", self.pid(), started, null, null))).isTrue();
        assertThat(Leftovers.isOurs(self, new StateFile.Entry("controller", self.pid(), started.minusSeconds(60), null, "-Dagentvine.fleet=x")))
                .as("the pid was reused by another process").isFalse();
    }

    @Test
    void on_linux_the_kernels_start_ticks_decide_whatever_the_wall_clock_did() throws Exception {
        Optional<String> selfKey = ProcessStart.key(ProcessHandle.current().pid());
        assumeTrue(selfKey.isPresent(), "no /proc: not Linux");
        Process child = new ProcessBuilder("sleep", "600").start();
        try {
            ProcessHandle p = child.toHandle();
            String key = ProcessStart.key(p.pid()).orElseThrow();
            assertThat(key).matches("[0-9a-f-]{36}/[0-9]+").isNotEqualTo(selfKey.get());
            Instant started = p.info().startInstant().orElseThrow();
            // a run that recorded the process before the wall clock was stepped by a minute: still ours
            assertThat(Leftovers.isOurs(p, new StateFile.Entry("worker-docs", p.pid(), started.minusSeconds(60), key, null))).isTrue();
            // the same pid, another start: another program
            String other = key.substring(0, key.indexOf('/') + 1) + (Long.parseLong(key.substring(key.indexOf('/') + 1)) + 1);
            assertThat(Leftovers.isOurs(p, new StateFile.Entry("worker-docs", p.pid(), started, other, null))).isFalse();

            StateFile state = new StateFile(tmp);
            state.add("worker-docs", p, "-Dagentvine.fleet=x");
            StateFile.Entry read = new StateFile(tmp).read().get(0);
            assertThat(read.startKey()).isEqualTo(key);
            assertThat(Leftovers.isOurs(p, read)).isTrue();
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(ProcessStart.key(child.pid())).as("a process that is gone has no start").isEmpty();
    }

    @Test
    void redis_ping_answers_for_a_real_server_and_not_for_a_closed_port() {
        assertThat(RedisPing.ping(TestRedis.uri())).isTrue();
        assertThat(RedisPing.ping("redis://127.0.0.1:" + VineUpProcess.freePort())).isFalse();
        assertThat(RedisPing.ping("http://127.0.0.1:1")).isFalse();
    }
}
