package io.agentvine.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.cli.VineRun;
import io.agentvine.queue.testing.TestRedis;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which Redis vine up uses, with real servers: the one at REDIS_URL, or the embedded binary when PATH has none. */
class RedisChoiceTest {
    @TempDir
    Path tmp;

    private RedisChoice choice(Map<String, String> env, FleetOutput out) {
        Path root = UpCommand.checkout();
        FleetSettings settings = FleetSettings.resolve(root, new FleetSettings.Flags(tmp.resolve("data"), null, VineUpProcess.freePort(),
                "docs", null, null), env, tmp);
        return new RedisChoice(settings, new RedisBinary(root, settings.data(), env, out), new ProcessLauncher(env, Clock.systemUTC()), out,
                Clock.systemUTC());
    }

    @Test
    void without_redis_server_on_path_the_embedded_binary_is_extracted_started_and_stopped() throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("REDIS_URL");
        env.put("PATH", tmp.resolve("empty").toString()); // no redis-server, no setsid
        FleetOutput out = new FleetOutput(VineRun.io(tmp), tmp);
        java.nio.file.Files.createDirectories(tmp.resolve("data/logs"));
        RedisChoice.Chosen chosen = choice(env, out).choose(p -> { });
        try {
            assertThat(chosen.process()).isNotNull();
            assertThat(chosen.process().info().command().orElse("")).endsWith("redis-server");
            assertThat(tmp.resolve("data/bin/redis-server")).isExecutable();
            assertThat(RedisPing.ping(chosen.url())).isTrue();
            assertThat(chosen.note()).startsWith("(started here; data in");
        } finally {
            new ProcessStopper(out, Clock.systemUTC()).stop(List.of(chosen.process().toHandle()), Duration.ofSeconds(20));
        }
        assertThat(chosen.process().isAlive()).isFalse();
        assertThat(RedisPing.ping(chosen.url())).isFalse();
    }

    @Test
    void a_redis_url_that_answers_is_used_and_left_alone() throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("REDIS_URL", TestRedis.uri());
        RedisChoice.Chosen chosen = choice(env, new FleetOutput(VineRun.io(tmp), tmp)).choose(p -> {
            throw new AssertionError("started a Redis although REDIS_URL answers");
        });
        assertThat(chosen.url()).isEqualTo(TestRedis.uri());
        assertThat(chosen.process()).isNull();
        assertThat(chosen.note()).isEqualTo("(found at REDIS_URL; left running on stop)");
    }
}
