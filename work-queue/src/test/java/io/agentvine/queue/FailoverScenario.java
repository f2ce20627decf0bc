package io.agentvine.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentvine.model.Priority;
import io.agentvine.model.TaskType;
import io.agentvine.queue.redis.RedisEndpoint;
import io.agentvine.queue.testing.ClaimStream;
import io.agentvine.queue.testing.Orders;
import io.agentvine.queue.testing.TestRedis;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One failover in the middle of a stream of claims and acks, shared by {@link ClusterFailoverTest} and
 * {@link SentinelFailoverTest}: orders are enqueued, four claimers work through them, and once a quarter are done
 * {@code failover} runs. Then every order must end acked exactly once, none held by two claimers at once, no
 * error may reach a claimer, and the longest stand-still of the claimers is returned (and printed).
 */
final class FailoverScenario {
    static final TaskType TYPE = TaskType.FEATURE;
    static final int ORDERS = 1_200;
    static final Duration MAX_STANDSTILL = Duration.ofSeconds(10);

    private FailoverScenario() {
    }

    /** The queue's connection settings for failover runs: a change is confirmed by one replica (WAIT 1). */
    static RedisEndpoint endpoint(String url) {
        return RedisEndpoint.create(url, RedisEndpoint.Options.DEFAULT.withMinReplicas(1));
    }

    static QueueSettings settings() {
        return QueueSettings.defaults().withNamespace(TestRedis.uniqueNamespace()).withLease(Duration.ofSeconds(60));
    }

    static Duration run(String name, RedisEndpoint endpoint, QueueSettings settings, Runnable failover) throws Exception {
        try (WorkQueue queue = new WorkQueue(endpoint, settings, Clock.systemUTC())) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < ORDERS; i++) {
                ids.add(queue.enqueue(Orders.order(TYPE, Priority.P2)).id());
            }
            long failedOverAt;
            ClaimStream stream = new ClaimStream(queue, TYPE, 4, Duration.ofMillis(2)).start();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> stream.acks() >= ORDERS / 4);
                failedOverAt = System.nanoTime();
                failover.run();
                try {
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> stream.acks() >= ORDERS);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError(name + ": " + stream.acks() + " of " + ORDERS + " orders acked within 60 s; queue "
                            + queue.stats(TYPE) + "; errors " + stream.errors().stream().limit(5).toList(), e);
                }
            } finally {
                stream.close();
            }
            Duration standstill = stream.longestPauseSince(failedOverAt);
            QueueStats s = queue.stats(TYPE);
            System.out.printf("failover %s: %d orders, longest stand-still of the claimers after the failover began %d ms, "
                            + "acks refused %d, errors %d%n", name, ORDERS, standstill.toMillis(), stream.rejectedAcks(),
                    stream.errors().size());
            assertThat(stream.violations()).as("orders held by two claimers at once").isEmpty();
            assertThat(stream.errors()).as("errors that reached a claimer").isEmpty();
            assertThat(stream.successfulAcks()).as("every order acked").hasSize(ORDERS);
            assertThat(stream.successfulAcks().values()).as("each exactly once").allMatch(n -> n.get() == 1);
            assertThat(stream.successfulAcks().keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(s.queued() + s.inFlight() + s.delayed() + s.dead()).as("nothing left in the queue").isZero();
            assertThat(standstill).as("claimers back to work").isLessThan(MAX_STANDSTILL);
            return standstill;
        }
    }
}
