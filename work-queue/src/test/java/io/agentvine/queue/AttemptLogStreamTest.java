package io.agentvine.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentvine.queue.testing.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The live log's stream on a real Redis: key, batch write, trim, expiry, paged and blocking reads. */
class AttemptLogStreamTest {
    private final RedisClient client = TestRedis.client();
    private final String ns = TestRedis.uniqueNamespace();
    private final StatefulRedisConnection<String, String> writeConnection = client.connect();
    private final StatefulRedisConnection<String, String> readConnection = client.connect();
    private final StatefulRedisConnection<String, String> blockConnection = client.connect();
    private final AttemptLogStream reader = new AttemptLogStream(readConnection);
    private final Instant t0 = Instant.parse("2026-12-02T08:00:00Z");

    @AfterEach
    void close() {
        writeConnection.close();
        readConnection.close();
        blockConnection.close();
        client.shutdown();
    }

    private List<AttemptLogStream.Line> lines(int from, int n) {
        List<AttemptLogStream.Line> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add(new AttemptLogStream.Line(t0.plusMillis(i), i % 2 == 0 ? "out" : "err", "line " + i));
        }
        return out;
    }

    @Test
    void the_key_names_namespace_task_and_attempt_with_the_task_as_hash_tag() {
        assertThat(AttemptLogStream.key("wo", "t-1", 2)).isEqualTo("wo:log:{t-1}:2");
        assertThatThrownBy(() -> AttemptLogStream.key("wo", "t-1", 0)).hasMessageContaining("attempt");
        assertThatThrownBy(() -> AttemptLogStream.key("bad ns", "t-1", 1)).hasMessageContaining("namespace");
        assertThat(AttemptLogStream.isEntryId("1700000000000-0")).isTrue();
        assertThat(AttemptLogStream.isEntryId("abc")).isFalse();
        assertThat(AttemptLogStream.isEntryId(null)).isFalse();
    }

    @Test
    void a_batch_is_written_in_order_with_its_end_and_the_key_expires_after_the_retention() {
        String key = AttemptLogStream.key(ns, "t-1", 1);
        AttemptLogStream.Writer writer = new AttemptLogStream.Writer(writeConnection, 10_000, Duration.ofHours(24));
        writer.append(key, lines(0, 250), false, null, Duration.ofSeconds(10));
        long ttl = readConnection.sync().ttl(key);
        assertThat(ttl).isBetween(24 * 3600L - 60, 24 * 3600L);
        writer.append(key, lines(250, 3), true, t0.plusSeconds(5), Duration.ofSeconds(10));

        List<AttemptLogStream.Entry> all = reader.range(key, null, 1000);
        assertThat(all).hasSize(254);
        assertThat(all.get(0).text()).isEqualTo("line 0");
        assertThat(all.get(0).stream()).isEqualTo("out");
        assertThat(all.get(1).stream()).isEqualTo("err");
        assertThat(all.get(0).at()).isEqualTo(t0);
        assertThat(all.get(252).text()).isEqualTo("line 252");
        assertThat(all.get(253).isEnd()).isTrue();
        assertThat(all.get(253).at()).isEqualTo(t0.plusSeconds(5));

        List<AttemptLogStream.Entry> page = reader.range(key, all.get(9).id(), 5);
        assertThat(page).extracting(AttemptLogStream.Entry::text).containsExactly("line 10", "line 11", "line 12", "line 13", "line 14");
        assertThat(reader.exists(key)).isTrue();
        assertThat(reader.exists(AttemptLogStream.key(ns, "t-1", 2))).isFalse();
    }

    @Test
    void the_stream_is_capped_at_about_max_lines() {
        String key = AttemptLogStream.key(ns, "t-cap", 1);
        AttemptLogStream.Writer writer = new AttemptLogStream.Writer(writeConnection, 100, Duration.ofMinutes(1));
        for (int i = 0; i < 10; i++) {
            writer.append(key, lines(i * 100, 100), false, null, Duration.ofSeconds(10));
        }
        long length = readConnection.sync().xlen(key);
        assertThat(length).isGreaterThanOrEqualTo(100).isLessThan(400); // approximate trimming keeps whole macro nodes
        List<AttemptLogStream.Entry> tail = reader.range(key, null, 1000);
        assertThat(tail.get(tail.size() - 1).text()).isEqualTo("line 999");
    }

    @Test
    void a_blocking_read_returns_as_soon_as_one_of_its_keys_gets_an_entry() throws Exception {
        String quiet = AttemptLogStream.key(ns, "t-quiet", 1);
        String busy = AttemptLogStream.key(ns, "t-busy", 1);
        AttemptLogStream blocking = new AttemptLogStream(blockConnection);
        CompletableFuture<Map<String, List<AttemptLogStream.Entry>>> read = CompletableFuture.supplyAsync(
                () -> blocking.read(Map.of(quiet, "0-0", busy, "0-0"), Duration.ofSeconds(20), 100));
        // Whether the read is already blocking or not, it sees the entry: its cursor is 0-0.
        new AttemptLogStream.Writer(writeConnection, 100, Duration.ofMinutes(1)).append(busy, lines(0, 2), false, null, Duration.ofSeconds(10));
        Map<String, List<AttemptLogStream.Entry>> got = read.get(15, TimeUnit.SECONDS);
        assertThat(got).containsOnlyKeys(busy);
        // Redis wakes the reader after the batch's first XADD: the rest follows from the cursor.
        List<AttemptLogStream.Entry> first = got.get(busy);
        assertThat(first.get(0).text()).isEqualTo("line 0");
        List<String> texts = new ArrayList<>(first.stream().map(AttemptLogStream.Entry::text).toList());
        String cursor = first.get(first.size() - 1).id();
        Map<String, List<AttemptLogStream.Entry>> rest = reader.read(Map.of(busy, cursor), Duration.ZERO, 10);
        rest.getOrDefault(busy, List.of()).forEach(e -> texts.add(e.text()));
        assertThat(texts).containsExactly("line 0", "line 1");
    }
}
