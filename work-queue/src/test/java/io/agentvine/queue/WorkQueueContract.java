package io.agentvine.queue;

import io.agentvine.model.ClarificationStatus;
import io.agentvine.model.ClarificationKind;
import io.agentvine.model.ParkedRun;
import io.agentvine.model.QueueOutcome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentvine.model.Priority;
import io.agentvine.model.QueueLevel;
import io.agentvine.model.TaskType;
import io.agentvine.model.WorkOrder;
import io.agentvine.model.WorkOrderState;
import io.agentvine.queue.testing.Orders;
import io.agentvine.queue.testing.SettableClock;
import io.agentvine.queue.testing.TestRedis;
import io.agentvine.queue.redis.RedisEndpoint;
import io.agentvine.queue.redis.RedisLink;
import io.agentvine.queue.testing.TestTopologies;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The queue's contract, against a real Redis of each topology (a subclass per topology: {@link WorkQueueTest},
 * {@link WorkQueueSentinelTest}, {@link WorkQueueClusterTest}). Every test has its own key namespace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WorkQueueContract {
    private static final TaskType FEATURE = TaskType.FEATURE;
    private RedisEndpoint client;
    private RedisLink admin;

    /** The topology this suite runs against. */
    abstract TestTopologies.Kind topology();

    private final SettableClock clock = new SettableClock();
    private QueueSettings settings;
    private WorkQueue queue;

    @BeforeAll
    void connect() {
        client = TestTopologies.endpoint(topology());
        admin = client.connect();
    }

    @AfterAll
    void disconnect() {
        admin.close();
        client.close();
    }

    @BeforeEach
    void newQueue() {
        settings = QueueSettings.defaults().withNamespace(TestRedis.uniqueNamespace())
                .withRetry(new RetryPolicy(Duration.ofSeconds(10), Duration.ofMinutes(5), 0.5));
        queue = new WorkQueue(client, settings, clock, new Random(42));
    }

    @AfterEach
    void closeQueue() {
        queue.close();
    }

    private WorkOrder enqueue(Priority p) {
        WorkOrder o = Orders.order(FEATURE, p);
        assertThat(queue.enqueue(o).created()).isTrue();
        return o;
    }

    private Claim claim(String worker) {
        return queue.claim(FEATURE, worker).orElseThrow(() -> new AssertionError("nothing to claim"));
    }

    @Test
    void claims_follow_strict_priority_high_then_default_then_low() {
        WorkOrder low = enqueue(Priority.P4);
        WorkOrder normal = enqueue(Priority.P2);
        WorkOrder high = enqueue(Priority.P1);
        WorkOrder urgent = enqueue(Priority.P0);

        assertThat(List.of(claim("w1").id(), claim("w1").id(), claim("w1").id(), claim("w1").id()))
                .containsExactly(high.id(), urgent.id(), normal.id(), low.id());
        assertThat(queue.claim(FEATURE, "w1")).isEmpty();
    }

    @Test
    void orders_of_one_level_are_claimed_first_in_first_out() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(enqueue(Priority.P2).id());
        }
        List<String> claimed = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            claimed.add(claim("w1").id());
        }
        assertThat(claimed).containsExactlyElementsOf(ids);
    }

    @Test
    void a_claim_carries_the_order_its_attempt_and_a_lease() {
        WorkOrder o = enqueue(Priority.P3);
        Claim c = claim("w1");

        assertThat(c.order()).isEqualTo(o.withAttempt(1));
        assertThat(c.token()).isEqualTo(1);
        assertThat(c.leaseUntil()).isEqualTo(clock.instant().plus(settings.lease()));
        OrderRecord r = queue.get(FEATURE, o.id()).orElseThrow();
        assertThat(r.state()).isEqualTo(WorkOrderState.RUNNING);
        assertThat(r.worker()).isEqualTo("w1");
        assertThat(r.token()).isEqualTo(1);
        assertThat(r.leaseUntil()).isEqualTo(c.leaseUntil());
        assertThat(queue.stats(FEATURE).inFlight()).isEqualTo(1);
    }

    @Test
    void many_threads_claim_each_order_exactly_once() throws Exception {
        int orders = 2000;
        int threads = 8;
        for (int i = 0; i < orders; i++) {
            enqueue(Priority.values()[i % 5]);
        }
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<String> duplicates = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String worker = "w" + t;
            results.add(pool.submit(() -> {
                start.await();
                int n = 0;
                for (Optional<Claim> c = queue.claim(FEATURE, worker); c.isPresent(); c = queue.claim(FEATURE, worker)) {
                    if (!seen.add(c.get().id())) {
                        duplicates.add(c.get().id());
                    }
                    assertThat(queue.ack(c.get())).isTrue();
                    n++;
                }
                return n;
            }));
        }
        start.countDown();
        int total = 0;
        for (Future<Integer> f : results) {
            total += f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(duplicates).isEmpty();
        assertThat(total).isEqualTo(orders);
        assertThat(seen).hasSize(orders);
        QueueStats s = queue.stats(FEATURE);
        assertThat(s.queued() + s.inFlight() + s.delayed() + s.dead()).isZero();
    }

    @Test
    void a_holder_that_dies_loses_the_order_after_its_lease_and_it_is_claimed_exactly_once_more() {
        WorkOrder o = enqueue(Priority.P2);
        Claim dead = claim("w-dead");

        clock.advance(settings.lease().minusMillis(1));
        assertThat(queue.recoverExpired(FEATURE).total()).as("lease not yet expired").isZero();
        clock.advance(Duration.ofMillis(2));
        RecoveryReport report = queue.recoverExpired(FEATURE);

        assertThat(report.requeued()).containsExactly(o.id());
        assertThat(queue.recoverExpired(FEATURE).total()).as("recovered only once").isZero();
        Claim again = claim("w-alive");
        assertThat(again.id()).isEqualTo(o.id());
        assertThat(again.token()).isGreaterThan(dead.token());
        assertThat(again.stalls()).isEqualTo(1);
        assertThat(again.attempt()).as("a stall is not a failed attempt").isEqualTo(1);
        assertThat(queue.claim(FEATURE, "w-other")).isEmpty();
        assertThat(queue.ack(again)).isTrue();
    }

    @Test
    void a_stale_holder_cannot_ack_fail_release_or_extend_after_its_order_was_recovered() {
        enqueue(Priority.P2);
        Claim stale = claim("w1");
        clock.advance(settings.lease().plusSeconds(1));
        queue.recoverExpired(FEATURE);
        Claim current = claim("w2");

        assertThat(queue.ack(stale)).isFalse();
        assertThat(queue.fail(stale, "boom", FailResult.Disposition.RETRY).outcome()).isEqualTo(QueueOutcome.LOST);
        assertThat(queue.release(stale)).isFalse();
        assertThat(queue.extend(stale).lost()).isTrue();

        // Same worker id re-claiming does not revive an old token either.
        Claim sameWorkerOldToken = new Claim(FEATURE, "w2", current.order(), stale.token(), stale.leaseUntil(), 0);
        assertThat(queue.ack(sameWorkerOldToken)).isFalse();
        assertThat(queue.get(FEATURE, current.id()).orElseThrow().state()).isEqualTo(WorkOrderState.RUNNING);
        assertThat(queue.ack(current)).isTrue();
        assertThat(queue.get(FEATURE, current.id())).as("completed orders leave Redis").isEmpty();
        assertThat(queue.ack(current)).as("a second ack is rejected").isFalse();
    }

    @Test
    void a_holder_that_recovered_before_the_sweep_can_extend_and_keep_its_order() {
        enqueue(Priority.P2);
        Claim c = claim("w1");
        clock.advance(settings.lease().plusSeconds(5));
        LeaseStatus s = queue.extend(c);
        assertThat(s.state()).isEqualTo(LeaseStatus.State.ACTIVE);
        assertThat(s.leaseUntil()).isEqualTo(clock.instant().plus(settings.lease()));
        assertThat(queue.recoverExpired(FEATURE).total()).isZero();
        assertThat(queue.ack(c)).isTrue();
    }

    @Test
    void retryable_failures_back_off_exponentially_then_dead_letter_with_the_reason() {
        String id = queue.enqueue(Orders.builder(FEATURE, Priority.P2).maxAttempts(3).build()).id();

        Claim first = claim("w1");
        assertThat(first.attempt()).isEqualTo(1);
        FailResult r1 = queue.fail(first, "agent_error: exit 1", FailResult.Disposition.RETRY);
        assertThat(r1.outcome()).isEqualTo(QueueOutcome.RETRY_SCHEDULED);
        assertThat(r1.attempts()).isEqualTo(1);
        Duration wait1 = Duration.between(clock.instant(), r1.retryAt());
        assertThat(wait1).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
        assertThat(queue.claim(FEATURE, "w1")).as("not before the backoff").isEmpty();
        assertThat(queue.stats(FEATURE).delayed()).isEqualTo(1);

        clock.advance(wait1);
        Claim second = claim("w1");
        assertThat(second.id()).isEqualTo(id);
        assertThat(second.attempt()).isEqualTo(2);
        FailResult r2 = queue.fail(second, "agent_error: exit 2", FailResult.Disposition.RETRY);
        Duration wait2 = Duration.between(clock.instant(), r2.retryAt());
        assertThat(wait2).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(20));

        clock.advance(wait2);
        Claim third = claim("w1");
        assertThat(third.attempt()).isEqualTo(3);
        FailResult r3 = queue.fail(third, "agent_error: exit 3", FailResult.Disposition.RETRY);
        assertThat(r3.outcome()).isEqualTo(QueueOutcome.DEAD);
        assertThat(r3.attempts()).isEqualTo(3);

        OrderRecord rec = queue.get(FEATURE, id).orElseThrow();
        assertThat(rec.state()).isEqualTo(WorkOrderState.DEAD);
        assertThat(rec.error()).isEqualTo("gave up after 3 attempts: agent_error: exit 3");
        assertThat(queue.deadIds(FEATURE, 0, 10)).containsExactly(id);
        assertThat(queue.stats(FEATURE).dead()).isEqualTo(1);
    }

    @Test
    void an_operator_retry_brings_a_dead_order_back_with_fresh_attempts() {
        queue.enqueue(Orders.builder(FEATURE, Priority.P2).maxAttempts(1).build());
        Claim c = claim("w1");
        assertThat(queue.fail(c, "agent_error", FailResult.Disposition.RETRY).outcome()).isEqualTo(QueueOutcome.DEAD);

        assertThat(queue.retry(FEATURE, c.id())).isTrue();
        assertThat(queue.stats(FEATURE).dead()).isZero();
        Claim again = claim("w2");
        assertThat(again.id()).isEqualTo(c.id());
        assertThat(again.attempt()).isEqualTo(1);
        assertThat(queue.retry(FEATURE, c.id())).as("a running order is not retried").isFalse();
    }

    @Test
    void a_final_failure_ends_failed_without_retry_or_dead_letter() {
        enqueue(Priority.P2);
        Claim c = claim("w1");
        FailResult r = queue.fail(c, "tests_failed: 3 of 120 failed", FailResult.Disposition.FAIL);
        assertThat(r.outcome()).isEqualTo(QueueOutcome.FAILED);
        OrderRecord rec = queue.get(FEATURE, c.id()).orElseThrow();
        assertThat(rec.state()).isEqualTo(WorkOrderState.FAILED);
        assertThat(rec.error()).isEqualTo("tests_failed: 3 of 120 failed");
        QueueStats s = queue.stats(FEATURE);
        assertThat(s.dead() + s.delayed() + s.queued() + s.inFlight()).isZero();
    }

    @Test
    void enqueue_with_a_seen_idempotency_key_returns_the_existing_order() {
        WorkOrder first = Orders.builder(FEATURE, Priority.P2).idempotencyKey("ci-run-4711").build();
        WorkOrder second = Orders.builder(FEATURE, Priority.P0).idempotencyKey("ci-run-4711").build();

        assertThat(queue.enqueue(first)).isEqualTo(new EnqueueResult(first.id(), true));
        assertThat(queue.enqueue(second)).isEqualTo(new EnqueueResult(first.id(), false));
        assertThat(queue.stats(FEATURE).queued()).isEqualTo(1);
        assertThat(queue.get(FEATURE, second.id())).isEmpty();
    }

    @Test
    void asynchronous_enqueues_keep_their_order_and_their_idempotency() throws Exception {
        List<java.util.concurrent.CompletableFuture<EnqueueResult>> futures = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            WorkOrder o = Orders.builder(FEATURE, Priority.P2).idempotencyKey("batch-" + (i % 25)).build();
            if (i < 25) {
                ids.add(o.id());
            }
            futures.add(queue.enqueueAsync(o).toCompletableFuture());
        }
        for (int i = 0; i < 50; i++) {
            EnqueueResult r = futures.get(i).get(10, TimeUnit.SECONDS);
            assertThat(r.created()).isEqualTo(i < 25);
            assertThat(r.id()).isEqualTo(ids.get(i % 25));
        }
        assertThat(queue.queuedIds(FEATURE, QueueLevel.DEFAULT, 0, 100)).containsExactlyElementsOf(ids);
    }

    @Test
    void enqueue_of_an_existing_id_is_refused() {
        WorkOrder o = enqueue(Priority.P2);
        assertThatThrownBy(() -> queue.enqueue(o)).isInstanceOf(WorkQueueException.class)
                .hasMessageContaining(o.id()).hasMessageContaining("already exists");
        assertThat(queue.stats(FEATURE).queued()).isEqualTo(1);
    }

    @Test
    void cancel_of_a_queued_order_removes_it_from_its_queue() {
        WorkOrder o = enqueue(Priority.P1);
        assertThat(queue.cancel(FEATURE, o.id())).isEqualTo(CancelResult.REMOVED);
        assertThat(queue.claim(FEATURE, "w1")).isEmpty();
        assertThat(queue.get(FEATURE, o.id()).orElseThrow().state()).isEqualTo(WorkOrderState.CANCELLED);
        assertThat(queue.cancel(FEATURE, o.id())).isEqualTo(CancelResult.ALREADY_FINISHED);
        assertThat(queue.cancel(FEATURE, "no-such-order")).isEqualTo(CancelResult.NOT_FOUND);
    }

    @Test
    void cancel_of_a_running_order_reaches_its_holder_at_the_next_extend_and_ends_it_cancelled() {
        enqueue(Priority.P2);
        Claim c = claim("w1");
        assertThat(queue.extend(c).state()).isEqualTo(LeaseStatus.State.ACTIVE);

        assertThat(queue.cancel(FEATURE, c.id())).isEqualTo(CancelResult.FLAGGED);
        assertThat(queue.extend(c).state()).isEqualTo(LeaseStatus.State.CANCEL_REQUESTED);
        FailResult r = queue.fail(c, "cancelled by operator", FailResult.Disposition.RETRY);

        assertThat(r.outcome()).isEqualTo(QueueOutcome.CANCELLED);
        assertThat(queue.get(FEATURE, c.id()).orElseThrow().state()).isEqualTo(WorkOrderState.CANCELLED);
        assertThat(queue.stats(FEATURE).delayed()).as("a cancelled order is not retried").isZero();
    }

    @Test
    void a_cancelled_running_order_whose_holder_dies_ends_cancelled_not_requeued() {
        enqueue(Priority.P2);
        Claim c = claim("w1");
        queue.cancel(FEATURE, c.id());
        clock.advance(settings.lease().plusSeconds(1));
        assertThat(queue.recoverExpired(FEATURE).cancelled()).containsExactly(c.id());
        assertThat(queue.claim(FEATURE, "w2")).isEmpty();
    }

    @Test
    void release_puts_the_order_back_at_the_head_of_its_queue_without_using_an_attempt() {
        WorkOrder a = enqueue(Priority.P2);
        WorkOrder b = enqueue(Priority.P2);
        Claim c = claim("w1");
        assertThat(c.id()).isEqualTo(a.id());

        assertThat(queue.release(c)).isTrue();
        assertThat(queue.queuedIds(FEATURE, QueueLevel.DEFAULT, 0, 10)).containsExactly(a.id(), b.id());
        Claim again = claim("w2");
        assertThat(again.id()).isEqualTo(a.id());
        assertThat(again.attempt()).isEqualTo(1);
        assertThat(again.stalls()).isZero();
        assertThat(queue.release(c)).as("the old holder cannot release twice").isFalse();
    }

    @Test
    void a_parked_order_leaves_its_lease_no_sweeper_recovers_it_and_unpark_puts_it_at_the_head_with_the_decision() {
        WorkOrder a = enqueue(Priority.P2);
        WorkOrder b = enqueue(Priority.P2);
        Claim c = claim("w1");
        Instant parkedAt = clock.instant();
        assertThat(queue.park(c, "{\"event_id\":\"e-park\"}")).isEqualTo(WorkQueue.ParkResult.PARKED);
        assertThat(queue.get(FEATURE, a.id()).orElseThrow().state()).isEqualTo(WorkOrderState.PARKED);
        assertThat(queue.stats(FEATURE).inFlight()).as("out of the lease set").isZero();
        assertThat(queue.parkedBefore(FEATURE, parkedAt, 0, 10)).as("parked at that instant, not before").isEmpty();
        assertThat(queue.parkedBefore(FEATURE, parkedAt.plusMillis(1), 0, 10)).as("with the holder's report")
                .containsExactly(new WorkQueue.ParkedOrder(a.id(), "w1", 1, parkedAt, "{\"event_id\":\"e-park\"}"));
        clock.advance(settings.lease().multipliedBy(10));
        assertThat(queue.recoverExpired(FEATURE).total()).isZero();
        assertThat(queue.recoverWorker(FEATURE, "w1").total()).isZero();
        assertThat(queue.park(c)).as("parked once").isEqualTo(WorkQueue.ParkResult.LOST);
        assertThat(queue.extend(c).lost()).as("its old holder cannot extend it").isTrue();

        ParkedRun decided = new ParkedRun(ClarificationKind.QUESTION, "q-1", "Which?", ParkedRun.refOf(a.taskId()), null, "command",
                null, clock.instant(), ClarificationStatus.ANSWERED, "this one", "ops");
        assertThat(queue.unpark(a.withParked(decided))).contains(WorkOrderState.PARKED);
        assertThat(queue.queuedIds(FEATURE, QueueLevel.DEFAULT, 0, 10)).containsExactly(a.id(), b.id());
        Claim again = claim("w2");
        assertThat(again.id()).isEqualTo(a.id());
        assertThat(again.attempt()).as("parking used no attempt").isEqualTo(1);
        assertThat(again.order().parked()).isEqualTo(decided);
        assertThat(queue.unpark(a)).as("not parked any more").contains(WorkOrderState.RUNNING);
        assertThat(queue.unpark(Orders.order(FEATURE, Priority.P2))).as("unknown to Redis: the caller enqueues it").isEmpty();
    }

    @Test
    void a_parked_order_is_cancelled_at_once_and_a_cancel_requested_before_parking_wins() {
        WorkOrder a = enqueue(Priority.P2);
        WorkOrder b = enqueue(Priority.P2);
        Claim ca = claim("w1");
        assertThat(queue.park(ca)).isEqualTo(WorkQueue.ParkResult.PARKED);
        assertThat(queue.cancel(FEATURE, a.id())).isEqualTo(CancelResult.REMOVED);
        assertThat(queue.get(FEATURE, a.id()).orElseThrow().state()).isEqualTo(WorkOrderState.CANCELLED);

        Claim cb = claim("w1");
        assertThat(queue.cancel(FEATURE, b.id())).isEqualTo(CancelResult.FLAGGED);
        assertThat(queue.park(cb)).isEqualTo(WorkQueue.ParkResult.CANCELLED);
        assertThat(queue.get(FEATURE, b.id()).orElseThrow().state()).isEqualTo(WorkOrderState.CANCELLED);
        assertThat(admin.sync().pttl(queue.keys(FEATURE).order(b.id()))).as("kept as long as any finished order, not for ever")
                .isPositive().isLessThanOrEqualTo(settings.finishedTtl().toMillis());
    }

    @Test
    void a_paused_type_hands_out_nothing_until_resumed_and_keeps_accepting_orders() {
        queue.pause(FEATURE);
        WorkOrder o = enqueue(Priority.P0);
        assertThat(queue.claim(FEATURE, "w1")).isEmpty();
        assertThat(queue.stats(FEATURE).paused()).isTrue();
        assertThat(queue.stats(FEATURE).high()).isEqualTo(1);
        assertThat(queue.claim(TaskType.DOCS, "w1")).as("other types are not paused").isEmpty();

        queue.resume(FEATURE);
        assertThat(queue.stats(FEATURE).paused()).isFalse();
        assertThat(claim("w1").id()).isEqualTo(o.id());
    }

    @Test
    void a_budget_pause_holds_claims_apart_from_the_operators_pause_and_lifting_one_keeps_the_other() {
        queue.budgetPause(FEATURE, true);
        WorkOrder o = enqueue(Priority.P0);
        assertThat(queue.claim(FEATURE, "w1")).isEmpty();
        QueueStats s = queue.stats(FEATURE);
        assertThat(s.budgetPaused()).isTrue();
        assertThat(s.paused()).isFalse();

        queue.pause(FEATURE);
        queue.budgetPause(FEATURE, false);
        assertThat(queue.claim(FEATURE, "w1")).as("the operator's pause still holds").isEmpty();
        queue.budgetPause(FEATURE, true);
        queue.resume(FEATURE);
        assertThat(queue.claim(FEATURE, "w1")).as("the budget pause still holds").isEmpty();
        assertThat(queue.stats(FEATURE).paused()).isFalse();

        queue.budgetPause(FEATURE, false);
        assertThat(queue.stats(FEATURE).budgetPaused()).isFalse();
        assertThat(claim("w1").id()).isEqualTo(o.id());
    }

    @Test
    void a_payload_that_does_not_parse_is_dead_lettered_with_the_error_and_the_next_order_is_claimed() {
        QueueKeys k = queue.keys(FEATURE);
        var r = admin.sync();
        r.hset(k.order("broken-1"), java.util.Map.of("payload", "{\"id\":\"broken-1\",\"type\":\"feature\",\"title\":",
                "state", "queued", "prio", "P1", "level", "high", "attempts", "0", "max", "3", "stalls", "0", "token", "0"));
        r.rpush(k.queue(QueueLevel.HIGH), "broken-1");
        r.hset(k.order("broken-2"), java.util.Map.of("payload", "{\"id\":\"broken-2\",\"task_id\":\"t-2\",\"type\":\"feature\"}",
                "state", "queued", "prio", "P1", "level", "high", "attempts", "0", "max", "3", "stalls", "0", "token", "0"));
        r.rpush(k.queue(QueueLevel.HIGH), "broken-2");
        WorkOrder good = enqueue(Priority.P2);

        assertThat(claim("w1").id()).isEqualTo(good.id());

        OrderRecord b1 = queue.get(FEATURE, "broken-1").orElseThrow();
        assertThat(b1.state()).isEqualTo(WorkOrderState.DEAD);
        assertThat(b1.error()).startsWith("invalid payload: body: malformed JSON");
        OrderRecord b2 = queue.get(FEATURE, "broken-2").orElseThrow();
        assertThat(b2.error()).isEqualTo("invalid payload: repository_url: is required and must not be blank");
        assertThat(queue.deadIds(FEATURE, 0, 10)).containsExactlyInAnyOrder("broken-1", "broken-2");
        assertThat(queue.stats(FEATURE).inFlight()).isEqualTo(1);
        // The controller hears of both on the lifecycle stream: their tasks must not stay queued.
        var reports = r.xrange(LifecycleStream.key(queue.settings().namespace()), io.lettuce.core.Range.create("-", "+")).stream()
                .map(m -> io.agentvine.model.Json.read(m.getBody().get(LifecycleStream.FIELD), io.agentvine.model.LifecycleEvent.class))
                .toList();
        assertThat(reports).extracting(e -> e.workOrderId() + " " + e.taskId() + " " + e.type().wireName() + " "
                        + e.outcome().wireName() + " " + e.queueOutcome().wireName() + " " + e.workerId())
                .containsExactly("broken-1 broken-1 failed invalid_payload dead w1", "broken-2 t-2 failed invalid_payload dead w1");
        assertThat(reports.get(1).message()).isEqualTo("the order cannot be used: repository_url: is required and must not be blank");
    }

    @Test
    void recovering_a_dead_worker_puts_everything_it_held_back_at_the_head() {
        WorkOrder a = enqueue(Priority.P2);
        WorkOrder b = enqueue(Priority.P2);
        WorkOrder c = enqueue(Priority.P2);
        Claim ca = claim("w-dead");
        Claim cb = claim("w-dead");
        Claim cc = claim("w-alive");

        RecoveryReport r = queue.recoverWorker(FEATURE, "w-dead");

        assertThat(r.requeued()).containsExactlyInAnyOrder(a.id(), b.id());
        assertThat(queue.ack(ca)).isFalse();
        assertThat(queue.extend(cb).lost()).isTrue();
        assertThat(queue.extend(cc).lost()).isFalse();
        assertThat(queue.recoverWorker(FEATURE, "w-dead").total()).isZero();
        assertThat(queue.queuedIds(FEATURE, QueueLevel.DEFAULT, 0, 10)).containsExactlyInAnyOrder(a.id(), b.id());
        assertThat(c.id()).isEqualTo(cc.id());
    }

    @Test
    void an_order_that_keeps_stalling_is_dead_lettered_as_a_poison_pill() {
        WorkOrder o = enqueue(Priority.P2);
        for (int i = 1; i <= settings.maxStalls(); i++) {
            claim("w" + i);
            clock.advance(settings.lease().plusSeconds(1));
            assertThat(queue.recoverExpired(FEATURE).requeued()).containsExactly(o.id());
        }
        claim("w-last");
        clock.advance(settings.lease().plusSeconds(1));
        assertThat(queue.recoverExpired(FEATURE).deadLettered()).containsExactly(o.id());

        OrderRecord rec = queue.get(FEATURE, o.id()).orElseThrow();
        assertThat(rec.state()).isEqualTo(WorkOrderState.DEAD);
        assertThat(rec.error()).isEqualTo("stalled 4 times, last: lease expired");
        assertThat(queue.claim(FEATURE, "w-next")).isEmpty();
    }

    @Test
    void changing_the_priority_of_a_queued_order_moves_it_to_its_new_level() {
        WorkOrder low = enqueue(Priority.P4);
        WorkOrder high = enqueue(Priority.P1);

        assertThat(queue.changePriority(FEATURE, low.id(), Priority.P0)).isTrue();
        assertThat(queue.queuedIds(FEATURE, QueueLevel.HIGH, 0, 10)).containsExactly(high.id(), low.id());
        assertThat(queue.stats(FEATURE).low()).isZero();
        claim("w1");
        Claim moved = claim("w1");
        assertThat(moved.id()).isEqualTo(low.id());
        assertThat(moved.order().priority()).isEqualTo(Priority.P0);
        assertThat(queue.changePriority(FEATURE, moved.id(), Priority.P3)).as("running").isFalse();
        assertThat(queue.changePriority(FEATURE, "unknown", Priority.P3)).isFalse();
    }

    @Test
    void remove_deletes_a_waiting_order_and_its_idempotency_key_but_refuses_a_running_one() {
        String id = queue.enqueue(Orders.builder(FEATURE, Priority.P2).idempotencyKey("k1").build()).id();
        assertThat(queue.remove(FEATURE, id)).isTrue();
        assertThat(queue.get(FEATURE, id)).isEmpty();
        assertThat(queue.stats(FEATURE).queued()).isZero();
        assertThat(queue.enqueue(Orders.builder(FEATURE, Priority.P2).idempotencyKey("k1").build()).created())
                .as("the key is free again").isTrue();

        Claim c = claim("w1");
        assertThatThrownBy(() -> queue.remove(FEATURE, c.id())).isInstanceOf(WorkQueueException.class)
                .hasMessageContaining("cancel it instead");
        assertThat(queue.remove(FEATURE, "unknown")).isFalse();
    }

    @Test
    void stats_count_each_level_in_flight_delayed_and_dead() {
        enqueue(Priority.P0);
        enqueue(Priority.P2);
        enqueue(Priority.P2);
        enqueue(Priority.P3);
        enqueue(Priority.P4);
        Claim running = claim("w1");
        Claim toDelay = claim("w1");
        queue.fail(toDelay, "x", FailResult.Disposition.RETRY);
        Claim toKill = claim("w1");
        queue.fail(toKill, "x", FailResult.Disposition.DEAD_LETTER);

        QueueStats s = queue.stats(FEATURE);
        assertThat(s).isEqualTo(new QueueStats(FEATURE, 0, 0, 2, 1, 1, 1, false, false));
        assertThat(running.order().priority()).isEqualTo(Priority.P0);
    }

    @Test
    void ack_and_claim_next_completes_and_claims_in_one_round_trip() {
        WorkOrder a = enqueue(Priority.P2);
        WorkOrder b = enqueue(Priority.P2);
        Claim ca = claim("w1");

        WorkQueue.AckResult r = queue.ackAndClaimNext(ca);
        assertThat(r.acked()).isTrue();
        assertThat(r.next()).map(Claim::id).contains(b.id());
        assertThat(queue.get(FEATURE, a.id())).isEmpty();

        WorkQueue.AckResult last = queue.ackAndClaimNext(r.next().orElseThrow());
        assertThat(last.acked()).isTrue();
        assertThat(last.next()).isEmpty();
        WorkQueue.AckResult stale = queue.ackAndClaimNext(ca);
        assertThat(stale.acked()).isFalse();
    }

    @Test
    void a_rejected_ack_claims_nothing() {
        enqueue(Priority.P2);
        Claim held = claim("w1");
        WorkOrder waiting = enqueue(Priority.P2);
        queue.recoverWorker(FEATURE, "w1"); // the holder lost its order: back at the head of its queue

        WorkQueue.AckResult stale = queue.ackAndClaimNext(held);

        assertThat(stale.acked()).isFalse();
        assertThat(stale.next()).isEmpty();
        assertThat(queue.stats(FEATURE).queued()).as("both orders still queued").isEqualTo(2);
        assertThat(queue.claim(FEATURE, "w2")).map(Claim::id).contains(held.id());
        assertThat(queue.claim(FEATURE, "w2")).map(Claim::id).contains(waiting.id());
    }

    @Test
    void completed_orders_leave_redis_failed_ones_expire_after_the_retention_and_dead_ones_stay() {
        enqueue(Priority.P2);
        enqueue(Priority.P2);
        enqueue(Priority.P2);
        Claim done = claim("w1");
        Claim failed = claim("w1");
        Claim dead = claim("w1");
        queue.ack(done);
        queue.fail(failed, "tests_failed", FailResult.Disposition.FAIL);
        queue.fail(dead, "broken", FailResult.Disposition.DEAD_LETTER);
        var r = admin.sync();
        assertThat(r.exists(queue.keys(FEATURE).order(done.id()))).isZero();
        assertThat(r.pttl(queue.keys(FEATURE).order(failed.id())))
                .isPositive().isLessThanOrEqualTo(settings.finishedTtl().toMillis());
        assertThat(r.pttl(queue.keys(FEATURE).order(dead.id()))).isEqualTo(-1);
    }

    @Test
    void transitions_that_happen_without_a_workers_word_are_written_to_the_events_stream() {
        enqueue(Priority.P2);
        enqueue(Priority.P2);
        Claim crashed = claim("w1");
        Claim failing = claim("w1");
        queue.fail(failing, "agent_error", FailResult.Disposition.DEAD_LETTER);
        clock.advance(settings.lease().plusSeconds(1));
        queue.recoverExpired(FEATURE);
        queue.cancel(FEATURE, crashed.id());

        var events = admin.sync().xrange(queue.keys(FEATURE).events(), io.lettuce.core.Range.create("-", "+"));
        assertThat(events).extracting(m -> m.getBody().get("event") + ":" + m.getBody().get("id"))
                .containsExactly("dead:" + failing.id(), "recovered:" + crashed.id(), "cancelled:" + crashed.id());
        assertThat(events.get(0).getBody()).containsEntry("reason", "agent_error");
        assertThat(events.get(1).getBody()).containsEntry("reason", "lease expired");
    }

    @Test
    void an_operator_moves_a_queued_order_inside_its_level_to_the_top_up_down_or_bottom() {
        WorkOrder a = enqueue(Priority.P2);
        WorkOrder b = enqueue(Priority.P2);
        WorkOrder c = enqueue(Priority.P2);
        WorkOrder d = enqueue(Priority.P2);

        WorkQueue.MoveResult top = queue.move(FEATURE, c.id(), WorkQueue.Move.TOP);
        assertThat(top).isEqualTo(new WorkQueue.MoveResult(true, QueueLevel.DEFAULT, 0, 4, "queued"));
        assertThat(queue.queuedIds(FEATURE, QueueLevel.DEFAULT, 0, 10)).containsExactly(c.id(), a.id(), b.id(), d.id());
        assertThat(queue.move(FEATURE, b.id(), WorkQueue.Move.UP).position()).isEqualTo(1);
        assertThat(queue.queuedIds(FEATURE, QueueLevel.DEFAULT, 0, 10)).containsExactly(c.id(), b.id(), a.id(), d.id());
        assertThat(queue.move(FEATURE, c.id(), WorkQueue.Move.DOWN).position()).isEqualTo(1);
        assertThat(queue.move(FEATURE, b.id(), WorkQueue.Move.BOTTOM).position()).isEqualTo(3);
        assertThat(queue.queuedIds(FEATURE, QueueLevel.DEFAULT, 0, 10)).containsExactly(c.id(), a.id(), d.id(), b.id());
        // at the edges a move is a no-op that says where the order is
        assertThat(queue.move(FEATURE, c.id(), WorkQueue.Move.UP).position()).isZero();
        assertThat(queue.move(FEATURE, b.id(), WorkQueue.Move.DOWN).position()).isEqualTo(3);

        assertThat(claim("w1").id()).as("the claim follows the new order").isEqualTo(c.id());
        assertThat(claim("w1").id()).isEqualTo(a.id());
        var moved = admin.sync().xrange(queue.keys(FEATURE).events(), io.lettuce.core.Range.create("-", "+")).stream()
                .filter(m -> "moved".equals(m.getBody().get("event"))).toList();
        assertThat(moved).hasSize(4);
        assertThat(moved.get(0).getBody()).containsEntry("id", c.id()).containsEntry("level", "default")
                .containsEntry("position", "0");
    }

    @Test
    void a_move_of_an_order_that_is_not_waiting_is_refused_with_its_state_and_moves_nothing() {
        WorkOrder running = enqueue(Priority.P2);
        WorkOrder waiting = enqueue(Priority.P2);
        claim("w1");

        assertThat(queue.move(FEATURE, running.id(), WorkQueue.Move.TOP))
                .isEqualTo(new WorkQueue.MoveResult(false, null, -1, 0, "running"));
        assertThat(queue.move(FEATURE, "wo-unknown", WorkQueue.Move.TOP).state()).isEqualTo("missing");
        assertThat(queue.queuedIds(FEATURE, QueueLevel.DEFAULT, 0, 10)).containsExactly(waiting.id());
    }

    @Test
    void all_keys_of_a_type_share_one_cluster_hash_slot() {
        enqueue(Priority.P2);
        Claim c = claim("w1");
        queue.fail(c, "x", FailResult.Disposition.RETRY);
        var keys = admin.sync().keys("{" + settings.namespace() + ":feature}*");
        assertThat(keys).isNotEmpty();
        Set<Integer> slots = new java.util.HashSet<>();
        keys.forEach(key -> slots.add(io.lettuce.core.cluster.SlotHash.getSlot(key)));
        assertThat(slots).hasSize(1);
        assertThat(keys).allMatch(key -> key.startsWith(queue.keys(FEATURE).prefix()));
    }

    /** A script sent again with its request id (its reply was lost to a failover) answers as the first time did. */
    @Test
    void a_claim_or_ack_sent_again_with_its_request_id_takes_no_second_order() {
        WorkOrder first = enqueue(Priority.P2);
        WorkOrder second = enqueue(Priority.P2);
        WorkOrder third = enqueue(Priority.P2);
        QueueKeys k = queue.keys(FEATURE);
        LuaScripts scripts = new LuaScripts();
        String now = Long.toString(clock.millis());
        String lease = Long.toString(settings.lease().toMillis());
        List<Object> once = scripts.run(admin.sync(), LuaScripts.Name.CLAIM, k.queue(QueueLevel.HIGH), k.prefix(), "w1", now, lease,
                "100", "req-1");
        List<Object> again = scripts.run(admin.sync(), LuaScripts.Name.CLAIM, k.queue(QueueLevel.HIGH), k.prefix(), "w1", now, lease,
                "100", "req-1");
        assertThat(once.get(0)).isEqualTo("claimed");
        assertThat(once.get(1)).isEqualTo(first.id());
        assertThat(again).isEqualTo(once);
        assertThat(queue.stats(FEATURE).inFlight()).isEqualTo(1);

        // The ack of it, with the next claim in the same call, sent twice: one completion, one next order.
        String token = once.get(2).toString();
        List<Object> ack = scripts.run(admin.sync(), LuaScripts.Name.ACK, k.order(first.id()), k.prefix(), first.id(), "w1", token,
                now, "1", lease, "100", "req-2");
        List<Object> ackAgain = scripts.run(admin.sync(), LuaScripts.Name.ACK, k.order(first.id()), k.prefix(), first.id(), "w1",
                token, now, "1", lease, "100", "req-2");
        assertThat(ack.subList(0, 3)).containsExactly("ok", "claimed", second.id());
        assertThat(ackAgain).isEqualTo(ack);
        assertThat(queue.get(FEATURE, first.id())).isEmpty();
        assertThat(queue.stats(FEATURE).inFlight()).isEqualTo(1);
        assertThat(queue.stats(FEATURE).queued()).isEqualTo(1);

        // A new request takes the next order.
        assertThat(claim("w1").id()).isEqualTo(third.id());
    }
}
