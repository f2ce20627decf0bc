package io.agentvine.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.model.Priority;
import io.agentvine.model.TaskType;
import io.agentvine.queue.QueueSettings;
import io.agentvine.queue.WorkQueue;
import io.agentvine.queue.testing.Orders;
import io.agentvine.queue.testing.SettableClock;
import io.agentvine.queue.testing.TestRedis;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --once} in the worker's state, on a settable clock, with orders claimed from a real Redis
 * queue: the first order admitted drains the worker, which is drained once that run ended; with no
 * order by the idle limit it drains by itself; without once mode neither happens.
 */
class OnceModeTest {
    private final SettableClock clock = new SettableClock();
    private final String namespace = TestRedis.uniqueNamespace();
    private RedisClient redis;
    private WorkQueue queue;
    private final WorkerState state = new WorkerState();

    @BeforeEach
    void setUp() {
        redis = TestRedis.client();
        queue = new WorkQueue(redis, QueueSettings.defaults().withNamespace(namespace), clock);
        queue.enqueue(Orders.order(TaskType.FEATURE, Priority.P2));
        queue.enqueue(Orders.order(TaskType.FEATURE, Priority.P2));
    }

    @AfterEach
    void tearDown() {
        queue.close();
        redis.shutdown();
    }

    private ActiveRun claim() {
        return new ActiveRun(queue.claim(TaskType.FEATURE, "w-once").orElseThrow(), clock);
    }

    @Test
    void the_first_order_admitted_is_the_only_one_and_its_end_drains_the_worker() {
        state.runOnce(new OnceMode(clock, Duration.ofMinutes(2)));
        assertThat(state.takesOrders()).isTrue();

        ActiveRun run = claim();
        state.add(run);
        assertThat(state.takesOrders()).as("no second claim, by the loop or by an ack").isFalse();
        state.markDrainedOnceIdle();
        assertThat(state.drained()).as("still running").isNotDone();

        clock.advance(Duration.ofHours(1)); // a long run: the idle limit is about waiting, not running
        state.drainIfIdleTooLong();
        state.remove(run);
        state.markDrainedOnceIdle();
        assertThat(state.drained()).isDone();
    }

    @Test
    void with_no_order_by_the_idle_limit_the_worker_drains() {
        state.runOnce(new OnceMode(clock, Duration.ofMinutes(2)));
        clock.advance(Duration.ofSeconds(119));
        state.drainIfIdleTooLong();
        assertThat(state.takesOrders()).isTrue();

        clock.advance(Duration.ofSeconds(1));
        state.drainIfIdleTooLong();
        assertThat(state.takesOrders()).isFalse();
        state.markDrainedOnceIdle();
        assertThat(state.drained()).isDone();
    }

    @Test
    void without_once_mode_orders_keep_coming_and_idleness_changes_nothing() {
        ActiveRun first = claim();
        state.add(first);
        ActiveRun second = claim();
        state.add(second);
        assertThat(state.takesOrders()).isTrue();
        clock.advance(Duration.ofDays(1));
        state.remove(first);
        state.remove(second);
        state.drainIfIdleTooLong();
        state.markDrainedOnceIdle();
        assertThat(state.takesOrders()).isTrue();
        assertThat(state.drained()).isNotDone();
    }
}
