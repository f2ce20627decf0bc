package io.agentvine.queue;

import io.agentvine.model.QueueOutcome;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.model.Priority;
import io.agentvine.model.TaskType;
import io.agentvine.model.WorkOrderState;
import io.agentvine.queue.testing.LeaseSweeper;
import io.agentvine.queue.testing.Orders;
import io.agentvine.queue.testing.TestRedis;
import io.lettuce.core.RedisClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several claimers over 10,000 orders with crashes injected at random (a claimer abandons what it
 * holds and comes back under a new worker id, as a container restarted after kill -9 would) and
 * retryable failures. Two lease sweepers run, as two controller replicas would. At the end every
 * order is completed or dead-lettered, none is lost, no order ever had two live holders, and every
 * completed order was acked successfully exactly once (its holder's ack is what removes it).
 */
class ClusterTest {
    private static final int ORDERS = 10_000;
    private static final int CLAIMERS = 6;
    private static final double CRASH = 0.01;
    private static final double RETRYABLE_FAILURE = 0.01;
    private static final TaskType TYPE = TaskType.FEATURE;

    private RedisClient client;
    private WorkQueue queue;

    @BeforeEach
    void setUp() {
        client = TestRedis.client();
        queue = new WorkQueue(client, QueueSettings.defaults().withNamespace(TestRedis.uniqueNamespace())
                .withLease(Duration.ofSeconds(1))
                .withFallbackPoll(Duration.ofMillis(200))
                .withMaxStalls(5)
                .withRetry(new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(100), 0.5)), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        queue.close();
        client.shutdown();
    }

    @Test
    void ten_thousand_orders_with_crashing_claimers_all_end_completed_or_dead_and_none_had_two_live_holders()
            throws Exception {
        List<String> ids = new ArrayList<>(ORDERS);
        for (int i = 0; i < ORDERS; i++) {
            ids.add(queue.enqueue(Orders.order(TYPE, Priority.values()[i % 5])).id());
        }

        Map<String, String> liveHolder = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> successfulAcks = new ConcurrentHashMap<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicLong claims = new AtomicLong();
        AtomicLong crashes = new AtomicLong();
        AtomicLong retries = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger workerSeq = new AtomicInteger();

        try (LeaseSweeper sweeper1 = new LeaseSweeper(queue, () -> List.of(TYPE), Duration.ofMillis(100), r -> { });
             LeaseSweeper sweeper2 = new LeaseSweeper(queue, () -> List.of(TYPE), Duration.ofMillis(130), r -> { })) {
            sweeper1.start();
            sweeper2.start();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < CLAIMERS; t++) {
                Thread thread = new Thread(() -> {
                    String worker = "worker-" + workerSeq.incrementAndGet();
                    Claimer claimer = queue.newClaimer(worker);
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    try {
                        while (!stop.get()) {
                            Optional<Claim> oc = claimer.claim(List.of(TYPE), Duration.ofMillis(300));
                            if (oc.isEmpty()) {
                                continue;
                            }
                            Claim c = oc.get();
                            claims.incrementAndGet();
                            String holder = worker + "#" + c.token();
                            String previous = liveHolder.putIfAbsent(c.id(), holder);
                            if (previous != null) {
                                violations.add(c.id() + " claimed by " + holder + " while " + previous + " held it");
                            }
                            double dice = random.nextDouble();
                            if (dice < CRASH) {
                                // kill -9: the holder is gone without a word; the order waits for its lease to expire.
                                liveHolder.remove(c.id(), holder);
                                crashes.incrementAndGet();
                                claimer.close();
                                worker = "worker-" + workerSeq.incrementAndGet();
                                claimer = queue.newClaimer(worker);
                                continue;
                            }
                            liveHolder.remove(c.id(), holder);
                            if (dice < CRASH + RETRYABLE_FAILURE) {
                                FailResult r = queue.fail(c, "agent_error: injected", FailResult.Disposition.RETRY);
                                if (r.outcome() == QueueOutcome.RETRY_SCHEDULED) {
                                    retries.incrementAndGet();
                                }
                            } else if (queue.ack(c)) {
                                successfulAcks.computeIfAbsent(c.id(), k -> new AtomicInteger()).incrementAndGet();
                            }
                        }
                    } finally {
                        claimer.close();
                    }
                }, "cluster-claimer-" + t);
                threads.add(thread);
                thread.start();
            }
            // Every transition is atomic, so a snapshot with nothing queued, held or delayed means every
            // order has reached a final state.
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            QueueStats snapshot = queue.stats(TYPE);
            while (snapshot.queued() + snapshot.inFlight() + snapshot.delayed() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
                snapshot = queue.stats(TYPE);
            }
            stop.set(true);
            for (Thread t : threads) {
                t.join(10_000);
                assertThat(t.isAlive()).as(t.getName() + " stopped").isFalse();
            }
        }

        int completed = 0;
        int dead = 0;
        for (String id : ids) {
            // Completion deletes the order, so a missing order must have exactly one successful ack;
            // anything still in Redis must be dead-lettered and never acked.
            Optional<OrderRecord> r = queue.get(TYPE, id);
            if (r.isEmpty()) {
                assertThat(successfulAcks.get(id)).as("successful acks of " + id + " (missing: lost?)").hasValue(1);
                completed++;
            } else {
                assertThat(r.get().state()).as(id + " final state").isEqualTo(WorkOrderState.DEAD);
                assertThat(successfulAcks).doesNotContainKey(id);
                dead++;
            }
        }
        QueueStats s = queue.stats(TYPE);
        assertThat(violations).isEmpty();
        assertThat(completed + dead).isEqualTo(ORDERS);
        assertThat(s.queued() + s.inFlight() + s.delayed()).isZero();
        assertThat(s.dead()).isEqualTo(dead);
        long reExecutions = claims.get() - ORDERS;
        System.out.printf("cluster test: %d orders, %d claimers, %d claims, %d re-executions "
                        + "(%d after crashes, %d retries), %d completed, %d dead-lettered%n",
                ORDERS, CLAIMERS, claims.get(), reExecutions, crashes.get(), retries.get(), completed, dead);
        assertThat(reExecutions).isGreaterThanOrEqualTo(crashes.get());
    }
}
