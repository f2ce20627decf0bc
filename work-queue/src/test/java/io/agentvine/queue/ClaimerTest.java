package io.agentvine.queue;

import io.agentvine.model.QueueOutcome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentvine.model.Priority;
import io.agentvine.model.TaskType;
import io.agentvine.model.WorkOrder;
import io.agentvine.queue.testing.Orders;
import io.agentvine.queue.testing.SettableClock;
import io.agentvine.queue.testing.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Idle claimers block on the wake-up marker. The fallback poll is set to 30 s here, so an order that
 * arrives within a second can only have come through the wake-up. The latency figure itself belongs
 * to the benchmark; these bounds are deliberately loose.
 */
class ClaimerTest {
    private static final Duration LONG_POLL = Duration.ofSeconds(30);
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> admin;

    private WorkQueue queue;
    private final List<Claimer> claimers = new ArrayList<>();

    @BeforeAll
    static void connect() {
        client = TestRedis.client();
        admin = client.connect();
    }

    @AfterAll
    static void disconnect() {
        admin.close();
        client.shutdown();
    }

    @BeforeEach
    void newQueue() {
        queue = new WorkQueue(client, QueueSettings.defaults().withNamespace(TestRedis.uniqueNamespace())
                .withFallbackPoll(LONG_POLL)
                .withRetry(new RetryPolicy(Duration.ofMillis(300), Duration.ofMillis(300), 0)), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        claimers.forEach(Claimer::close);
        queue.close();
    }

    private Claimer claimer(String worker) {
        Claimer c = queue.newClaimer(worker);
        claimers.add(c);
        return c;
    }

    private CompletableFuture<Optional<Claim>> claimAsync(Claimer c, List<TaskType> types) {
        return CompletableFuture.supplyAsync(() -> c.claim(types, Duration.ofSeconds(20)));
    }

    /** Waits until {@code n} connections sit in BZPOPMIN, i.e. the claimers are idle and blocked. */
    private void awaitBlocked(int n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.sync().clientList().lines()
                .filter(l -> l.contains("cmd=bzpopmin")).count() >= n);
    }

    @Test
    void an_idle_blocked_claimer_gets_a_new_order_promptly() throws Exception {
        CompletableFuture<Optional<Claim>> pending = claimAsync(claimer("w1"), List.of(TaskType.FEATURE));
        awaitBlocked(1);

        WorkOrder o = Orders.order(TaskType.FEATURE, Priority.P2);
        long start = System.nanoTime();
        queue.enqueue(o);
        Optional<Claim> c = pending.get(5, TimeUnit.SECONDS);
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(c).map(Claim::id).contains(o.id());
        assertThat(tookMs).as("woken, not polled (poll is 30 s)").isLessThan(2_000);
    }

    @Test
    void a_burst_wakes_every_idle_claimer_one_after_another() throws Exception {
        List<CompletableFuture<Optional<Claim>>> pending = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pending.add(claimAsync(claimer("w" + i), List.of(TaskType.FEATURE)));
        }
        awaitBlocked(4);
        for (int i = 0; i < 4; i++) {
            queue.enqueue(Orders.order(TaskType.FEATURE, Priority.P2));
        }
        List<String> ids = new ArrayList<>();
        for (CompletableFuture<Optional<Claim>> f : pending) {
            ids.add(f.get(5, TimeUnit.SECONDS).orElseThrow().id());
        }
        assertThat(ids).doesNotHaveDuplicates().hasSize(4);
    }

    @Test
    void a_claimer_for_several_types_is_woken_by_any_of_them() throws Exception {
        CompletableFuture<Optional<Claim>> pending =
                claimAsync(claimer("w1"), List.of(TaskType.FEATURE, TaskType.DOCS, TaskType.REVIEW));
        awaitBlocked(1);
        WorkOrder docs = Orders.order(TaskType.DOCS, Priority.P4);
        queue.enqueue(docs);
        assertThat(pending.get(5, TimeUnit.SECONDS)).map(Claim::id).contains(docs.id());
    }

    @Test
    void an_idle_claimer_wakes_when_a_retry_becomes_due() throws Exception {
        queue.enqueue(Orders.order(TaskType.FEATURE, Priority.P2));
        Claim first = queue.claim(TaskType.FEATURE, "w0").orElseThrow();
        FailResult r = queue.fail(first, "agent_error", FailResult.Disposition.RETRY);
        assertThat(r.outcome()).isEqualTo(QueueOutcome.RETRY_SCHEDULED);

        Optional<Claim> again = claimer("w1").claim(List.of(TaskType.FEATURE), Duration.ofSeconds(10));
        assertThat(again).map(Claim::id).contains(first.id());
        assertThat(again.get().attempt()).isEqualTo(2);
    }

    @Test
    void resuming_a_paused_type_wakes_its_idle_claimers() throws Exception {
        queue.pause(TaskType.FEATURE);
        WorkOrder o = Orders.order(TaskType.FEATURE, Priority.P2);
        queue.enqueue(o);
        CompletableFuture<Optional<Claim>> pending = claimAsync(claimer("w1"), List.of(TaskType.FEATURE));
        awaitBlocked(1);
        assertThat(pending).isNotDone();
        queue.resume(TaskType.FEATURE);
        assertThat(pending.get(5, TimeUnit.SECONDS)).map(Claim::id).contains(o.id());
    }

    @Test
    void the_claim_a_wake_up_brings_starts_its_lease_when_the_order_came_not_when_the_wait_began() throws Exception {
        SettableClock clock = new SettableClock(Instant.parse("2026-12-02T10:00:00Z"));
        try (WorkQueue q = new WorkQueue(client, queue.settings(), clock)) {
            Claimer c = q.newClaimer("w1");
            claimers.add(c);
            CompletableFuture<Optional<Claim>> pending = claimAsync(c, List.of(TaskType.FEATURE));
            awaitBlocked(1);
            clock.advance(Duration.ofMinutes(10)); // the claimer sat idle meanwhile
            WorkOrder o = Orders.order(TaskType.FEATURE, Priority.P2);
            q.enqueue(o);
            Claim claimed = pending.get(5, TimeUnit.SECONDS).orElseThrow();
            assertThat(claimed.id()).isEqualTo(o.id());
            assertThat(claimed.leaseUntil()).isEqualTo(clock.instant().plus(q.settings().lease()));
        }
    }

    @Test
    void closing_a_claimer_ends_its_wait_at_once() throws Exception {
        Claimer c = claimer("w1");
        CompletableFuture<Optional<Claim>> pending = claimAsync(c, List.of(TaskType.FEATURE));
        awaitBlocked(1);
        c.close();
        assertThat(pending.get(5, TimeUnit.SECONDS)).isEmpty();
        c.close(); // idempotent
    }

    @Test
    void a_claimer_gives_up_after_its_max_wait() {
        Optional<Claim> none = claimer("w1").claim(List.of(TaskType.FEATURE), Duration.ofMillis(300));
        assertThat(none).isEmpty();
    }
}
