package io.agentvine.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.model.Priority;
import io.agentvine.model.QueueLevel;
import io.agentvine.model.TaskType;
import io.agentvine.model.WorkOrder;
import io.agentvine.queue.testing.Orders;
import io.agentvine.queue.testing.SettableClock;
import io.agentvine.queue.testing.TestRedis;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operators' listing of a queue ({@code list.lua}) and the change of priority with its refusal, on a real Redis. */
class QueueListingTest {
    private static final TaskType FEATURE = TaskType.FEATURE;
    private static RedisClient client;

    private final SettableClock clock = new SettableClock();
    private WorkQueue queue;

    @BeforeAll
    static void connect() {
        client = TestRedis.client();
    }

    @AfterAll
    static void disconnect() {
        client.shutdown();
    }

    @BeforeEach
    void newQueue() {
        QueueSettings settings = QueueSettings.defaults().withNamespace(TestRedis.uniqueNamespace())
                .withRetry(new RetryPolicy(Duration.ofSeconds(10), Duration.ofMinutes(5), 0.0));
        queue = new WorkQueue(client, settings, clock, new Random(42));
    }

    @AfterEach
    void closeQueue() {
        queue.close();
    }

    private WorkOrder enqueue(Priority p) {
        WorkOrder o = Orders.order(FEATURE, p);
        assertThat(queue.enqueue(o).created()).isTrue();
        clock.advance(Duration.ofSeconds(1));
        return o;
    }

    @Test
    void waiting_orders_are_listed_in_claim_order_across_the_levels_and_paged_as_one_list() {
        WorkOrder low = enqueue(Priority.P4);
        WorkOrder normal1 = enqueue(Priority.P2);
        WorkOrder high = enqueue(Priority.P0);
        WorkOrder normal2 = enqueue(Priority.P2);

        QueueListing.WaitingPage all = queue.waiting(FEATURE, 0, 50);
        assertThat(all.total()).isEqualTo(4);
        assertThat(all.depth()).containsEntry(QueueLevel.HIGH, 1L).containsEntry(QueueLevel.DEFAULT, 2L)
                .containsEntry(QueueLevel.LOW, 1L);
        assertThat(all.orders()).extracting(QueueListing.Waiting::id)
                .containsExactly(high.id(), normal1.id(), normal2.id(), low.id());
        assertThat(all.orders()).extracting(QueueListing.Waiting::position).containsExactly(0L, 1L, 2L, 3L);
        assertThat(all.orders()).extracting(QueueListing.Waiting::levelPosition).containsExactly(0L, 0L, 1L, 0L);
        QueueListing.Waiting first = all.orders().get(0);
        assertThat(first.level()).isEqualTo(QueueLevel.HIGH);
        assertThat(first.priority()).isEqualTo(Priority.P0);
        assertThat(first.enqueuedAt()).isEqualTo(clock.instant().minusSeconds(2).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));

        QueueListing.WaitingPage page = queue.waiting(FEATURE, 1, 2);
        assertThat(page.orders()).extracting(QueueListing.Waiting::id).containsExactly(normal1.id(), normal2.id());
        assertThat(page.orders()).extracting(QueueListing.Waiting::position).containsExactly(1L, 2L);
        assertThat(queue.waiting(FEATURE, 3, 5).orders()).extracting(QueueListing.Waiting::id).containsExactly(low.id());
        assertThat(queue.waiting(FEATURE, 4, 5).orders()).isEmpty();
        assertThat(queue.waiting(FEATURE, 0, 0).orders()).isEmpty();
    }

    @Test
    void delayed_orders_show_their_retry_time_and_last_failure_and_dead_ones_their_reason_newest_first() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(enqueue(Priority.P2).id());
        }
        Claim retried = queue.claim(FEATURE, "w1").orElseThrow();
        queue.fail(retried, "agent_error: exit 1", FailResult.Disposition.RETRY);
        Claim dead1 = queue.claim(FEATURE, "w1").orElseThrow();
        queue.fail(dead1, "invalid_payload: no repository", FailResult.Disposition.DEAD_LETTER);
        clock.advance(Duration.ofSeconds(5));
        Claim dead2 = queue.claim(FEATURE, "w1").orElseThrow();
        queue.fail(dead2, "invalid_payload: no title", FailResult.Disposition.DEAD_LETTER);

        QueueListing.Page<QueueListing.Delayed> delayed = queue.delayed(FEATURE, 0, 50);
        assertThat(delayed.total()).isEqualTo(1);
        QueueListing.Delayed d = delayed.orders().get(0);
        assertThat(d.id()).isEqualTo(retried.id());
        assertThat(d.lastError()).isEqualTo("agent_error: exit 1");
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(d.retryAt()).isAfter(clock.instant().minusSeconds(5));
        assertThat(d.priority()).isEqualTo(Priority.P2);

        QueueListing.Page<QueueListing.Dead> dead = queue.dead(FEATURE, 0, 50);
        assertThat(dead.total()).isEqualTo(2);
        assertThat(dead.orders()).extracting(QueueListing.Dead::id).containsExactly(dead2.id(), dead1.id());
        assertThat(dead.orders()).extracting(QueueListing.Dead::reason)
                .containsExactly("invalid_payload: no title", "invalid_payload: no repository");
        assertThat(dead.orders().get(0).deadAt()).isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(queue.dead(FEATURE, 1, 1).orders()).extracting(QueueListing.Dead::id).containsExactly(dead1.id());
        assertThat(queue.waiting(FEATURE, 0, 50).total()).isZero();
    }

    @Test
    void a_change_of_priority_moves_a_waiting_order_to_its_new_level_and_is_refused_with_the_state_once_claimed() {
        WorkOrder a = enqueue(Priority.P2);
        WorkOrder b = enqueue(Priority.P2);

        assertThat(queue.reprioritize(FEATURE, b.id(), Priority.P0)).isEmpty();
        QueueListing.WaitingPage page = queue.waiting(FEATURE, 0, 50);
        assertThat(page.orders()).extracting(QueueListing.Waiting::id).containsExactly(b.id(), a.id());
        assertThat(page.orders().get(0).priority()).isEqualTo(Priority.P0);
        assertThat(page.orders().get(0).level()).isEqualTo(QueueLevel.HIGH);

        Claim claimed = queue.claim(FEATURE, "w1").orElseThrow();
        assertThat(claimed.id()).isEqualTo(b.id());
        assertThat(queue.reprioritize(FEATURE, b.id(), Priority.P4)).contains("running");
        assertThat(queue.reprioritize(FEATURE, "nope", Priority.P4)).contains("missing");
    }
}
