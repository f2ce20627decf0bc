package io.agentvine.queue;

import io.agentvine.model.QueueOutcome;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.model.Priority;
import io.agentvine.model.TaskType;
import io.agentvine.queue.testing.Orders;
import io.agentvine.queue.testing.RedisServerProcess;
import io.agentvine.queue.testing.SettableClock;
import io.agentvine.queue.testing.TestRedis;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scripts pop with LMPOP on Redis 7 and fall back to one LPOP per level on 6.2 (the server the
 * embedded-redis artifact ships). This runs the claim paths on that older server.
 */
class Redis62Test {
    private static RedisServerProcess server;
    private static RedisClient client;

    @BeforeAll
    static void start() {
        server = RedisServerProcess.startEmbedded();
        client = TestRedis.client(server.uri());
    }

    @AfterAll
    static void stop() {
        client.shutdown();
        server.close();
    }

    @Test
    void the_server_is_redis_6_2() {
        try (var c = client.connect()) {
            assertThat(c.sync().info("server")).contains("redis_version:6.2.");
        }
    }

    @Test
    void strict_priority_fifo_retry_and_recovery_work_without_lmpop() {
        SettableClock clock = new SettableClock();
        QueueSettings settings = QueueSettings.defaults().withNamespace(TestRedis.uniqueNamespace())
                .withRetry(new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 0));
        try (WorkQueue queue = new WorkQueue(client, settings, clock)) {
            List<String> low = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                low.add(queue.enqueue(Orders.order(TaskType.TEST, Priority.P4)).id());
            }
            String high = queue.enqueue(Orders.order(TaskType.TEST, Priority.P0)).id();

            Claim first = queue.claim(TaskType.TEST, "w1").orElseThrow();
            assertThat(first.id()).isEqualTo(high);
            assertThat(queue.fail(first, "agent_error", FailResult.Disposition.RETRY).outcome())
                    .isEqualTo(QueueOutcome.RETRY_SCHEDULED);
            Claim second = queue.claim(TaskType.TEST, "w1").orElseThrow();
            assertThat(second.id()).isEqualTo(low.get(0));
            clock.advance(settings.lease().plusSeconds(1));
            assertThat(queue.recoverExpired(TaskType.TEST).requeued()).containsExactly(second.id());

            List<String> order = new ArrayList<>();
            for (var c = queue.claim(TaskType.TEST, "w2"); c.isPresent(); c = queue.claim(TaskType.TEST, "w2")) {
                order.add(c.get().id());
                assertThat(queue.ack(c.get())).isTrue();
            }
            assertThat(order).containsExactly(high, low.get(0), low.get(1), low.get(2));
        }
    }
}
