package io.agentvine.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.model.FailureReason;
import io.agentvine.model.Json;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.model.LifecycleEventType;
import io.agentvine.model.Priority;
import io.agentvine.model.QueueOutcome;
import io.agentvine.model.TaskType;
import io.agentvine.model.WorkOrder;
import io.agentvine.model.WorkOrderState;
import io.agentvine.worker.metrics.WorkerMeters;
import io.agentvine.queue.Claim;
import io.agentvine.queue.LifecycleStream;
import io.agentvine.queue.QueueSettings;
import io.agentvine.queue.WorkQueue;
import io.agentvine.queue.testing.Orders;
import io.agentvine.queue.testing.TestRedis;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reporter on its own against a real Redis queue and lifecycle stream: each way a run ends becomes
 * one queue move and one last event carrying the queue's verdict; a completed run's ack claims the
 * next order when asked to, and a rejected ack leaves this worker holding nothing.
 */
class RunReporterTest {
    static final TaskType FEATURE = TaskType.FEATURE;
    static final String WORKER = "w-reporter";

    final Clock clock = Clock.systemUTC();
    final String namespace = TestRedis.uniqueNamespace();
    RedisClient redis;
    StatefulRedisConnection<String, String> connection;
    WorkQueue queue;
    WorkerState state;
    RunReporter reporter;

    @BeforeEach
    void setUp() {
        redis = TestRedis.client();
        connection = redis.connect();
        queue = new WorkQueue(redis, QueueSettings.defaults().withNamespace(namespace), clock);
        state = new WorkerState();
        RunEvents events = new RunEvents(new LifecycleStream(connection, namespace), () -> WORKER, clock);
        reporter = new RunReporter(queue, events, new RunLog(clock), new RunMeters(WorkerMeters.off(), clock), state);
    }

    @AfterEach
    void tearDown() {
        queue.close();
        connection.close();
        redis.shutdown();
    }

    private WorkOrder enqueue() {
        WorkOrder o = Orders.order(FEATURE, Priority.P2);
        queue.enqueue(o);
        return o;
    }

    private ActiveRun claimed() {
        ActiveRun run = new ActiveRun(queue.claim(FEATURE, WORKER).orElseThrow(), clock);
        state.add(run);
        return run;
    }

    private List<LifecycleEvent> events() {
        return connection.sync().xrange(LifecycleStream.key(namespace), Range.create("-", "+")).stream()
                .map(m -> Json.read(m.getBody().get(LifecycleStream.FIELD), LifecycleEvent.class)).toList();
    }

    private LifecycleEvent onlyEvent() {
        List<LifecycleEvent> all = events();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private WorkOrderState stateOf(WorkOrder o) {
        return queue.get(FEATURE, o.id()).orElseThrow().state();
    }

    @Test
    void a_completed_run_is_acked_and_reported_completed_with_its_result() {
        WorkOrder o = enqueue();
        ActiveRun run = claimed();

        Optional<Claim> next = reporter.report(run, RunResult.completed(Map.of("branch", "agentvine/feature/x")), false);

        assertThat(next).isEmpty();
        assertThat(queue.get(FEATURE, o.id())).as("a completed order leaves Redis").isEmpty();
        LifecycleEvent e = onlyEvent();
        assertThat(e.type()).isEqualTo(LifecycleEventType.COMPLETED);
        assertThat(e.workOrderId()).isEqualTo(o.id());
        assertThat(e.workerId()).isEqualTo(WORKER);
        assertThat(e.result()).containsEntry("branch", "agentvine/feature/x");
        assertThat(state.completedCount()).isEqualTo(1);
    }

    @Test
    void a_retryable_failure_is_scheduled_again_and_its_event_says_so() {
        WorkOrder o = enqueue();

        reporter.report(claimed(), RunResult.failed(FailureReason.CLONE_FAILED, "no route to host"), false);

        assertThat(stateOf(o)).isEqualTo(WorkOrderState.DELAYED);
        LifecycleEvent e = onlyEvent();
        assertThat(e.type()).isEqualTo(LifecycleEventType.FAILED);
        assertThat(e.outcome()).isEqualTo(FailureReason.CLONE_FAILED);
        assertThat(e.queueOutcome()).isEqualTo(QueueOutcome.RETRY_SCHEDULED);
        assertThat(e.message()).isEqualTo("no route to host");
    }

    @Test
    void a_final_failure_ends_the_order_failed() {
        WorkOrder o = enqueue();

        reporter.report(claimed(), RunResult.failed(FailureReason.TESTS_FAILED, "tests failed (exit 1)"), false);

        assertThat(stateOf(o)).isEqualTo(WorkOrderState.FAILED);
        LifecycleEvent e = onlyEvent();
        assertThat(e.type()).isEqualTo(LifecycleEventType.FAILED);
        assertThat(e.queueOutcome()).isEqualTo(QueueOutcome.FAILED);
        assertThat(state.completedCount()).isZero();
    }

    @Test
    void an_unusable_order_is_dead_lettered_at_once() {
        WorkOrder o = enqueue();

        reporter.report(claimed(), RunResult.failed(FailureReason.INVALID_PAYLOAD, "the worker cannot use this order"), false);

        assertThat(stateOf(o)).isEqualTo(WorkOrderState.DEAD);
        assertThat(onlyEvent().queueOutcome()).isEqualTo(QueueOutcome.DEAD);
    }

    @Test
    void a_lost_lease_moves_nothing_and_is_reported_with_the_verdict_lost() {
        WorkOrder o = enqueue();
        ActiveRun run = claimed();
        queue.recoverWorker(FEATURE, WORKER); // the queue took the order back
        run.stop(ActiveRun.Stop.LOST_LEASE);

        reporter.report(run, RunResult.failed(FailureReason.LOST_LEASE, "the order was recovered from this worker"), false);

        assertThat(stateOf(o)).isEqualTo(WorkOrderState.QUEUED);
        LifecycleEvent e = onlyEvent();
        assertThat(e.type()).isEqualTo(LifecycleEventType.FAILED);
        assertThat(e.outcome()).isEqualTo(FailureReason.LOST_LEASE);
        assertThat(e.queueOutcome()).isEqualTo(QueueOutcome.LOST);
    }

    @Test
    void a_run_stopped_for_shutdown_releases_its_order_to_the_head_of_its_queue_without_using_an_attempt() {
        WorkOrder o = enqueue();
        ActiveRun run = claimed();
        run.stop(ActiveRun.Stop.RELEASED);

        reporter.report(run, RunResult.failed(FailureReason.WORKER_LOST, "released: worker shutting down"), false);

        assertThat(stateOf(o)).isEqualTo(WorkOrderState.QUEUED);
        assertThat(queue.get(FEATURE, o.id()).orElseThrow().attempts()).isZero();
        assertThat(onlyEvent().type()).isEqualTo(LifecycleEventType.RELEASED);
    }

    @Test
    void a_cancelled_run_ends_the_order_cancelled() {
        WorkOrder o = enqueue();
        ActiveRun run = claimed();
        queue.cancel(FEATURE, o.id()); // flagged for its holder
        run.stop(ActiveRun.Stop.CANCELLED);

        reporter.report(run, RunResult.failed(FailureReason.CANCELLED, "cancelled by an operator"), false);

        assertThat(stateOf(o)).isEqualTo(WorkOrderState.CANCELLED);
        LifecycleEvent e = onlyEvent();
        assertThat(e.type()).isEqualTo(LifecycleEventType.CANCELLED);
        assertThat(e.queueOutcome()).isEqualTo(QueueOutcome.CANCELLED);
    }

    @Test
    void a_completed_run_whose_slot_claims_again_gets_the_next_order_from_its_ack() {
        WorkOrder first = enqueue();
        WorkOrder second = enqueue();
        ActiveRun run = claimed();

        Optional<Claim> next = reporter.report(run, RunResult.completed(Map.of()), true);

        assertThat(queue.get(FEATURE, first.id())).isEmpty();
        assertThat(next).map(Claim::id).contains(second.id());
        assertThat(next.orElseThrow().workerId()).isEqualTo(WORKER);
        assertThat(stateOf(second)).isEqualTo(WorkOrderState.RUNNING);
        assertThat(queue.stats(FEATURE).inFlight()).isEqualTo(1);
        assertThat(onlyEvent().type()).isEqualTo(LifecycleEventType.COMPLETED);
    }

    @Test
    void a_completed_run_whose_slot_does_not_claim_again_leaves_the_next_order_queued() {
        enqueue();
        WorkOrder second = enqueue();

        Optional<Claim> next = reporter.report(claimed(), RunResult.completed(Map.of()), false);

        assertThat(next).isEmpty();
        assertThat(stateOf(second)).isEqualTo(WorkOrderState.QUEUED);
        assertThat(queue.stats(FEATURE).inFlight()).isZero();
    }

    @Test
    void a_rejected_ack_claims_nothing_for_this_worker() {
        WorkOrder first = enqueue();
        ActiveRun stale = claimed();
        queue.recoverWorker(FEATURE, WORKER); // the lease lapsed: the order went back and another worker holds it now
        Claim other = queue.claim(FEATURE, "w-other").orElseThrow();
        WorkOrder second = enqueue();

        Optional<Claim> next = reporter.report(stale, RunResult.completed(Map.of()), true);

        assertThat(next).isEmpty();
        assertThat(other.id()).isEqualTo(first.id());
        assertThat(queue.get(FEATURE, first.id()).orElseThrow().worker()).isEqualTo("w-other");
        assertThat(stateOf(second)).as("never claimed by the stale worker").isEqualTo(WorkOrderState.QUEUED);
        assertThat(queue.stats(FEATURE).inFlight()).isEqualTo(1);
        LifecycleEvent e = onlyEvent();
        assertThat(e.type()).isEqualTo(LifecycleEventType.FAILED);
        assertThat(e.queueOutcome()).isEqualTo(QueueOutcome.LOST);
        assertThat(state.completedCount()).isZero();
    }
}
