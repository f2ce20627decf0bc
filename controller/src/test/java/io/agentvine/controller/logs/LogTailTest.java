package io.agentvine.controller.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentvine.queue.AttemptLogStream;
import io.agentvine.queue.testing.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The log tail against a real Redis, with reads that block for a minute: nothing a follower is owed may wait for a
 * read's timeout. A new follower's backlog arrives at once whenever it comes (the doorbell wakes the read in
 * progress or keeps the next from blocking), and a follower that joins behind another on the same stream gets every
 * line from its own cursor.
 */
class LogTailTest {
    private static final Duration LONG_BLOCK = Duration.ofSeconds(60);
    /** Far below {@link #LONG_BLOCK}: a follower that waited for a read's timeout misses it; a loaded machine does not. */
    private static final long BOUND_S = 20;

    private final RedisClient redis = TestRedis.client();
    private final String ns = TestRedis.uniqueNamespace();
    private final StatefulRedisConnection<String, String> writerConnection = redis.connect();
    private final AttemptLogStream.Writer writer = new AttemptLogStream.Writer(writerConnection, 10_000, Duration.ofHours(1));
    private final LogTail tail = new LogTail(io.agentvine.queue.redis.RedisEndpoint.wrap(redis), ns, LONG_BLOCK);

    @AfterEach
    void close() {
        tail.close();
        writerConnection.close();
        redis.shutdown();
    }

    private void write(String key, String... texts) {
        writer.append(key, java.util.Arrays.stream(texts).map(t -> new AttemptLogStream.Line(Instant.now(), "out", t)).toList(),
                false, null, Duration.ofSeconds(10));
    }

    /** Collects a follower's lines. */
    private static final class Lines implements LogTail.Listener {
        final List<String> texts = new CopyOnWriteArrayList<>();
        final CountDownLatch first = new CountDownLatch(1);

        @Override
        public void lines(List<LogLine> lines) {
            lines.forEach(l -> texts.add(l.text()));
            first.countDown();
        }

        @Override
        public void end(String endId) {
        }
    }

    @Test
    void a_new_followers_backlog_arrives_while_the_tail_is_blocked_on_other_streams() throws Exception {
        String busy = AttemptLogStream.key(ns, "t-busy", 1);
        Lines watcher = new Lines();
        tail.follow(busy, StreamIds.ZERO, watcher, () -> false);
        write(busy, "first");
        assertThat(watcher.first.await(BOUND_S, TimeUnit.SECONDS)).isTrue();
        // Now the tail reads (blocking for a minute) on the busy stream. New followers of other streams come one after
        // another, at any point of its rounds; each one's line must arrive without waiting for a read to time out.
        for (int i = 0; i < 20; i++) {
            String key = AttemptLogStream.key(ns, "t-new-" + i, 1);
            write(key, "backlog " + i);
            Lines newcomer = new Lines();
            tail.follow(key, StreamIds.ZERO, newcomer, () -> false);
            assertThat(newcomer.first.await(BOUND_S, TimeUnit.SECONDS)).as("follower %d got its backlog", i).isTrue();
            assertThat(newcomer.texts).containsExactly("backlog " + i);
        }
    }

    @Test
    void a_follower_behind_another_on_the_same_stream_gets_every_line_from_its_own_cursor() throws Exception {
        String key = AttemptLogStream.key(ns, "t-shared", 1);
        Lines ahead = new Lines();
        tail.follow(key, StreamIds.ZERO, ahead, () -> false);
        for (int round = 0; round < 10; round++) {
            String prefix = "r" + round + " ";
            write(key, prefix + 0, prefix + 1, prefix + 2);
            await().atMost(Duration.ofSeconds(BOUND_S)).until(() -> ahead.texts.contains(prefix + 2));
            // Joins from the start while lines keep coming: it must not be handed the entries read for the one ahead
            // (from that one's cursor), which would skip its own backlog.
            Thread writing = new Thread(() -> write(key, prefix + 3, prefix + 4), "log-tail-test-writer");
            writing.start();
            Lines behind = new Lines();
            tail.follow(key, StreamIds.ZERO, behind, () -> false);
            writing.join();
            await().atMost(Duration.ofSeconds(BOUND_S)).until(() -> behind.texts.contains(prefix + 4));
            List<String> mine = behind.texts.stream().filter(t -> t.startsWith(prefix)).toList();
            assertThat(mine).as("round %d", round).containsExactly(prefix + 0, prefix + 1, prefix + 2, prefix + 3, prefix + 4);
            assertThat(behind.texts).as("every earlier round's lines too, in order").hasSize(5 * (round + 1));
        }
    }
}
