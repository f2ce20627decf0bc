package io.agentvine.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.model.Priority;
import io.agentvine.model.TaskType;
import io.agentvine.queue.testing.Orders;
import io.agentvine.queue.testing.RedisServerProcess;
import io.agentvine.queue.testing.SettableClock;
import io.agentvine.queue.testing.TestRedis;
import io.lettuce.core.RedisClient;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Faults of the Redis server itself, on a server of the test's own so it can be flushed and killed. */
class RedisFaultTest {
    private RedisServerProcess server;
    private RedisClient client;

    @BeforeEach
    void startServer() {
        // appendfsync always: what an acknowledged enqueue guarantees across a crash with AOF on.
        server = RedisServerProcess.start(List.of("--appendonly", "yes", "--appendfsync", "always"));
        client = TestRedis.client(server.uri());
    }

    @AfterEach
    void stopServer() {
        client.shutdown();
        server.close();
    }

    @Test
    void a_script_cache_flushed_mid_run_is_invisible_to_producers_and_claimers() {
        try (WorkQueue queue = new WorkQueue(client, QueueSettings.defaults(), Clock.systemUTC());
             var admin = client.connect()) {
            Set<String> done = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                queue.enqueue(Orders.order(TaskType.TEST, Priority.P2));
                if (i % 50 == 25) {
                    admin.sync().scriptFlush();
                }
                Claim c = queue.claim(TaskType.TEST, "w1").orElseThrow();
                if (i % 50 == 30) {
                    admin.sync().scriptFlush();
                }
                assertThat(queue.ack(c)).isTrue();
                done.add(c.id());
            }
            assertThat(done).hasSize(200);
            assertThat(queue.stats(TaskType.TEST).queued()).isZero();
        }
    }

    @Test
    void a_redis_crash_and_restart_with_aof_loses_no_order_and_the_held_one_comes_back() {
        SettableClock clock = new SettableClock();
        QueueSettings settings = QueueSettings.defaults();
        try (WorkQueue queue = new WorkQueue(client, settings, clock)) {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                ids.add(queue.enqueue(Orders.order(TaskType.BUGFIX, Priority.values()[i % 5])).id());
            }
            Claim held = queue.claim(TaskType.BUGFIX, "w-crashed").orElseThrow();

            server.restart(); // SIGKILL, then start on the same port and data folder

            clock.advance(settings.lease().plusSeconds(1));
            assertThat(queue.recoverExpired(TaskType.BUGFIX).requeued()).containsExactly(held.id());
            assertThat(queue.ack(held)).as("the crashed holder's token is stale").isFalse();
            Set<String> claimed = new HashSet<>();
            for (Optional<Claim> c = queue.claim(TaskType.BUGFIX, "w2"); c.isPresent();
                 c = queue.claim(TaskType.BUGFIX, "w2")) {
                assertThat(queue.ack(c.get())).isTrue();
                claimed.add(c.get().id());
            }
            assertThat(claimed).isEqualTo(ids);
            QueueStats s = queue.stats(TaskType.BUGFIX);
            assertThat(s.queued() + s.inFlight() + s.delayed() + s.dead()).isZero();
        }
    }

    @Test
    void a_claimer_blocked_while_redis_restarts_gets_the_next_order() throws Exception {
        QueueSettings settings = QueueSettings.defaults().withFallbackPoll(Duration.ofSeconds(1));
        try (WorkQueue queue = new WorkQueue(client, settings, Clock.systemUTC());
             Claimer claimer = queue.newClaimer("w1")) {
            CompletableFuture<Optional<Claim>> pending = CompletableFuture.supplyAsync(() -> {
                // A worker's claim loop: a Redis error is logged and the loop claims again.
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() < end) {
                    try {
                        Optional<Claim> c = claimer.claim(List.of(TaskType.DOCS), Duration.ofSeconds(30));
                        if (c.isPresent()) {
                            return c;
                        }
                    } catch (RuntimeException redisDown) {
                        sleep(100);
                    }
                }
                return Optional.empty();
            });
            sleep(300);
            server.restart();
            String id = queue.enqueue(Orders.order(TaskType.DOCS, Priority.P2)).id();
            assertThat(pending.get(30, TimeUnit.SECONDS)).map(Claim::id).contains(id);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
