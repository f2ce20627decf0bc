package io.agentvine.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.queue.redis.RedisEndpoint;
import io.agentvine.queue.redis.RedisLink;
import io.agentvine.queue.testing.TestRedis;
import io.agentvine.queue.testing.TestTopologies;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Live logs on a Redis Cluster: each attempt's stream is its own slot, and one XREAD may only name keys of one
 * slot. A read over several attempts still returns every key's new entries, and a blocking read wakes for the
 * first key's slot (the controller's log tail puts its doorbell first).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttemptLogStreamClusterTest {
    private final String ns = TestRedis.uniqueNamespace();
    private final Instant t0 = Instant.parse("2026-12-02T08:00:00Z");
    private RedisEndpoint endpoint;
    private RedisLink writer;
    private RedisLink reader;

    @BeforeAll
    void connect() {
        endpoint = TestTopologies.endpoint(TestTopologies.Kind.CLUSTER);
        writer = endpoint.connect();
        reader = endpoint.connect();
    }

    @AfterAll
    void close() {
        writer.close();
        reader.close();
        endpoint.close();
    }

    /** Two attempt keys in different slots. */
    private List<String> keysInTwoSlots(String task) {
        String a = AttemptLogStream.key(ns, task + "-a", 1);
        for (int i = 0; ; i++) {
            String b = AttemptLogStream.key(ns, task + "-b" + i, 1);
            if (RedisEndpoint.slot(a) != RedisEndpoint.slot(b)) {
                return List.of(a, b);
            }
        }
    }

    private void write(String key, String text) {
        new AttemptLogStream.Writer(writer, 1_000, Duration.ofHours(1))
                .append(key, List.of(new AttemptLogStream.Line(t0, "out", text)), false, null, Duration.ofSeconds(10));
        writer.setAutoFlushCommands(true); // the writer switched it off; this link is shared by the test
    }

    @Test
    void a_read_over_keys_of_several_slots_returns_each_keys_new_entries() {
        List<String> keys = keysInTwoSlots("t1");
        write(keys.get(0), "first");
        write(keys.get(1), "second");
        Map<String, String> cursors = new LinkedHashMap<>();
        keys.forEach(k -> cursors.put(k, "0-0"));

        Map<String, List<AttemptLogStream.Entry>> got = new AttemptLogStream(reader).read(cursors, Duration.ofMillis(500), 10);

        assertThat(got.get(keys.get(0))).extracting(AttemptLogStream.Entry::text).containsExactly("first");
        assertThat(got.get(keys.get(1))).extracting(AttemptLogStream.Entry::text).containsExactly("second");
    }

    @Test
    void a_blocking_read_over_several_slots_wakes_when_the_first_key_gets_an_entry() throws Exception {
        List<String> keys = keysInTwoSlots("t2");
        Map<String, String> cursors = new LinkedHashMap<>();
        keys.forEach(k -> cursors.put(k, "0-0"));
        CompletableFuture<Map<String, List<AttemptLogStream.Entry>>> pending =
                CompletableFuture.supplyAsync(() -> new AttemptLogStream(reader).read(cursors, Duration.ofSeconds(20), 10));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> TestTopologies.clientsRunning(TestTopologies.Kind.CLUSTER, "xread") >= 1);
        long start = System.nanoTime();
        write(keys.get(0), "ring");
        Map<String, List<AttemptLogStream.Entry>> got = pending.get(5, TimeUnit.SECONDS);
        assertThat(got.get(keys.get(0))).extracting(AttemptLogStream.Entry::text).containsExactly("ring");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
}
