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
import io.agentvine.queue.testing.TestTopologies;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Idle claimers block on the wake-up marker. The fallback poll is set to 30 s here, so an order that
 * arrives within a second can only have come through the wake-up. The latency figure itself belongs
 * to the benchmark; these bounds are deliberately loose. Runs on each topology (a subclass per topology:
 * {@link ClaimerTest}, {@link ClaimerSentinelTest}, {@link ClaimerClusterTest}).
 */
abstract class ClaimerContract extends TopologySuite {
    private static final Duration LONG_POLL = Duration.ofSeconds(30);

    private WorkQueue queue;
    private final List<Claimer> claimers = new ArrayList<>();

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
        await().atMost(Duration.ofSeconds(10)).until(() -> TestTopologies.clientsRunning(topology(), "bzpopmin") >= n);
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

    @Test
    void a_claimer_for_types_in_several_slots_takes_one_order_and_hands_back_the_wake_ups_it_does_not_use() throws Exception {
        List<TaskType> types = List.of(TaskType.FEATURE, TaskType.DOCS, TaskType.REVIEW, TaskType.TEST, TaskType.BUGFIX);
        long slots = types.stream().map(t -> client.group(queue.keys(t).wake())).distinct().count();
        Claimer c1 = claimer("w1");
        CompletableFuture<Optional<Claim>> first = claimAsync(c1, types);
        awaitBlocked((int) slots);
        WorkOrder docs = Orders.order(TaskType.DOCS, Priority.P2);
        queue.enqueue(docs);
        assertThat(first.get(5, TimeUnit.SECONDS)).map(Claim::id).contains(docs.id());
        assertThat(c1.connectionCount()).as("one blocking connection per slot").isEqualTo((int) slots);

        // c1 is busy now; its waits on the other slots may still sit in Redis. An order of one of those types must
        // reach another idle claimer promptly (a marker c1 pops is put back), and c1 must not hold it.
        CompletableFuture<Optional<Claim>> second = claimAsync(claimer("w2"), List.of(TaskType.REVIEW));
        awaitBlocked((int) slots); // c1's abandoned waits (slots - 1) and w2's
        WorkOrder review = Orders.order(TaskType.REVIEW, Priority.P2);
        queue.enqueue(review);
        Claim got = second.get(5, TimeUnit.SECONDS).orElseThrow();
        assertThat(got.id()).isEqualTo(review.id());
        assertThat(queue.get(TaskType.REVIEW, review.id()).orElseThrow().worker()).isEqualTo("w2");
        assertThat(queue.stats(TaskType.REVIEW).inFlight()).isEqualTo(1);

        // c1's next claim takes up its pending waits instead of sending them again, and still gets any type's order.
        CompletableFuture<Optional<Claim>> third = claimAsync(c1, types);
        WorkOrder test = Orders.order(TaskType.TEST, Priority.P2);
        queue.enqueue(test);
        assertThat(third.get(5, TimeUnit.SECONDS)).map(Claim::id).contains(test.id());
        assertThat(c1.connectionCount()).isEqualTo((int) slots);
    }
}
