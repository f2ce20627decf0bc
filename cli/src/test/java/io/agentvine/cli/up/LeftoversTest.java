package io.agentvine.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.queue.testing.TestRedis;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How vine up recognises its own processes, and its Redis PING, against real processes and a real Redis. */
class LeftoversTest {
    @Test
    void a_process_is_ours_only_when_its_start_time_matches_the_recorded_one() {
        ProcessHandle self = ProcessHandle.current();
        Instant started = self.info().startInstant().orElseThrow();
        assertThat(Leftovers.isOurs(self, new StateFile.Entry("controller", self.pid(), started, null))).isTrue();
        assertThat(Leftovers.isOurs(self, new StateFile.Entry("controller", self.pid(), started.minusSeconds(60), "-Dagentvine.fleet=x")))
                .as("the pid was reused by another process").isFalse();
    }

    @Test
    void redis_ping_answers_for_a_real_server_and_not_for_a_closed_port() {
        assertThat(RedisPing.ping(TestRedis.uri())).isTrue();
        assertThat(RedisPing.ping("redis://127.0.0.1:" + VineUpProcess.freePort())).isFalse();
        assertThat(RedisPing.ping("http://127.0.0.1:1")).isFalse();
    }
}
