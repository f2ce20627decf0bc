package io.agentvine.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentvine.controller.lifecycle.LifecycleConsumer;
import io.agentvine.controller.persistence.AttemptRepository;
import io.agentvine.controller.persistence.LifecycleEventRepository;
import io.agentvine.controller.persistence.TaskRepository;
import io.agentvine.controller.persistence.WorkerRepository;
import io.agentvine.controller.tasks.TaskRequest;
import io.agentvine.controller.tasks.TaskService;
import io.agentvine.controller.tasks.TaskSubmission;
import io.agentvine.controller.workers.FleetSweeper;
import io.agentvine.controller.workers.HeartbeatBuffer;
import io.agentvine.controller.workers.WorkerRegistry;
import io.agentvine.controller.security.Caller;
import io.agentvine.model.FailureReason;
import io.agentvine.model.Heartbeat;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.model.LifecycleEventType;
import io.agentvine.model.TaskType;
import io.agentvine.model.TokenUsage;
import io.agentvine.model.WorkerCommand;
import io.agentvine.model.WorkerRegistration;
import io.agentvine.model.WorkOrderState;
import io.agentvine.model.WorkerStatus;
import io.agentvine.queue.Claim;
import io.agentvine.queue.FailResult;
import io.agentvine.queue.LifecycleStream;
import io.agentvine.queue.WorkQueue;
import io.agentvine.queue.testing.SettableClock;
import io.agentvine.queue.testing.TestRedis;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The controller's background work, driven one round at a time (background threads off, time on a
 * settable clock): lifecycle events applied exactly once, and stale workers' orders recovered.
 */
@MicronautTest(transactional = false) // the heartbeat pool must see what the test wrote
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetBackgroundTest implements TestPropertyProvider {
    static final Caller ADMIN = new Caller(Caller.Kind.ADMIN, "admin-1", Set.of(), true);
    final String namespace = TestRedis.uniqueNamespace();

    @Inject TaskService tasks;
    @Inject TaskSubmission submission;
    @Inject WorkerRegistry registry;
    @Inject WorkQueue queue;
    @Inject LifecycleConsumer consumer;
    @Inject FleetSweeper sweeper;
    @Inject TaskRepository taskRows;
    @Inject AttemptRepository attempts;
    @Inject WorkerRepository workerRows;
    @Inject LifecycleEventRepository appliedEvents;
    @Inject SettableClock clock;
    @Inject MeterRegistry meters;

    RedisClient client = TestRedis.client();
    StatefulRedisConnection<String, String> redis = client.connect();
    LifecycleStream stream = new LifecycleStream(redis, namespace);

    @Override
    public Map<String, String> getProperties() {
        return TestProperties.onH2().namespace(namespace).noBackground().with("test.settable-clock", "true")
                .with("agentvine.lifecycle-claim-after", "1s").build();
    }

    @AfterAll
    void close() {
        redis.close();
        client.shutdown();
    }

    private String newTask(String type) {
        return submission.create(new TaskRequest(type, "https://git.example.com/acme/shop.git", "main", "Fix totals", "Fix it.",
                "P2", "autonomous", "mvn -q test", null, null, null, null, null, Map.of())).id();
    }

    private String newWorker(String type) {
        return registry.register(ADMIN, new WorkerRegistration(null, "w-" + type, List.of(TaskType.of(type)), "0.1.0", 1,
                List.of(), List.of(), Map.of())).workerId();
    }

    private LifecycleEvent.Builder event(LifecycleEventType type, Claim c) {
        return LifecycleEvent.builder(UUID.randomUUID().toString(), type, c.id(), c.workerId(), c.attempt(), clock.instant())
                .taskType(c.type());
    }

    private void drain() {
        for (int i = 0; i < 50 && consumer.runOnce(Duration.ofMillis(50)) > 0; i++) {
            // applies until the stream is empty
        }
    }

    @Test
    void started_usage_and_completed_events_are_applied_once_with_tokens_cost_and_an_attempt_record() {
        String worker = newWorker("feature");
        String id = newTask("feature");
        Claim c = queue.claim(TaskType.FEATURE, worker).orElseThrow();
        LifecycleEvent started = event(LifecycleEventType.STARTED, c).model("claude-sonnet-4")
                .claimedAt(clock.instant().minusMillis(40)).build();
        stream.publish(started);
        stream.publish(started); // a redelivery must change nothing
        stream.publish(event(LifecycleEventType.TOKEN_USAGE, c).tokenUsage(new TokenUsage(1200, 300, 5000, 100))
                .costUsd(0.042).model("claude-sonnet-4").build());
        redis.sync().xadd(stream.key(), Map.of(LifecycleStream.FIELD, "{\"event_id\": 12")); // unreadable: dropped
        assertThat(queue.ack(c)).isTrue();
        stream.publish(event(LifecycleEventType.COMPLETED, c).result(Map.of("commit", "4f2a9c1", "branch", "agentvine/feature/" + id)).build());

        drain();

        var task = taskRows.findById(id).orElseThrow();
        assertThat(task.state()).isEqualTo(WorkOrderState.COMPLETED);
        assertThat(task.workerId()).isEqualTo(worker);
        assertThat(task.attempts()).isEqualTo(1);
        assertThat(task.inputTokens()).isEqualTo(1200);
        assertThat(task.cacheReadTokens()).isEqualTo(5000);
        assertThat(task.costUsd()).isEqualTo(0.042);
        assertThat(task.result()).contains("4f2a9c1");
        var attempt = attempts.findByTaskIdAndAttemptAndWorkerId(id, 1, worker).orElseThrow();
        assertThat(attempt.outcome()).isEqualTo("completed");
        assertThat(attempt.workerId()).isEqualTo(worker);
        assertThat(attempt.outputTokens()).isEqualTo(300);
        assertThat(workerRows.findById(worker).orElseThrow().completedCount()).isEqualTo(1);
        assertThat(appliedEvents.countByTaskId(id)).isEqualTo(3);
        assertThat(redis.sync().xlen(stream.key())).as("processed entries are deleted").isZero();
        // By task type and model, never by worker (bounded labels: MetricsCardinalityTest).
        assertThat(meters.get("agentvine.cost.usd").tag("type", "feature").counter().count()).isEqualTo(0.042);
        assertThat(meters.find("agentvine.cost.usd").tag("worker", worker).counter()).isNull();
        assertThat(meters.get("agentvine.claim.to.start").timer().count()).isEqualTo(1);
    }

    @Test
    void a_failed_event_records_the_queues_verdict() {
        String worker = newWorker("test");
        String id = newTask("test");
        Claim c = queue.claim(TaskType.TEST, worker).orElseThrow();
        stream.publish(event(LifecycleEventType.STARTED, c).build());
        var verdict = queue.fail(c, "tests_failed: 2 failing", FailResult.Disposition.FAIL);
        stream.publish(event(LifecycleEventType.FAILED, c).outcome(FailureReason.TESTS_FAILED).message("2 failing")
                .queueOutcome(verdict.outcome()).build());
        drain();
        var task = taskRows.findById(id).orElseThrow();
        assertThat(task.state()).isEqualTo(WorkOrderState.FAILED);
        assertThat(task.error()).isEqualTo("tests_failed: 2 failing");
        assertThat(attempts.findByTaskIdAndAttemptAndWorkerId(id, 1, worker).orElseThrow().outcome()).isEqualTo("tests_failed");
        assertThat(workerRows.findById(worker).orElseThrow().failedCount()).isEqualTo(1);
        assertThat(tasks.retry(id).state()).isEqualTo("queued");
        assertThat(queue.claim(TaskType.TEST, worker)).map(Claim::id).contains(id);
    }

    @Test
    void events_left_pending_by_a_crashed_controller_and_events_sent_during_an_outage_are_all_applied_once() throws Exception {
        String worker = newWorker("docs");
        List<String> ids = List.of(newTask("docs"), newTask("docs"), newTask("docs"));
        List<Claim> claims = ids.stream().map(x -> queue.claim(TaskType.DOCS, worker).orElseThrow()).toList();
        claims.forEach(c -> stream.publish(event(LifecycleEventType.STARTED, c).build()));
        consumer.runOnce(Duration.ofMillis(10)); // ensures the group exists
        // A replica reads the next entries and dies before applying them: they stay pending under its name.
        claims.forEach(c -> stream.publish(event(LifecycleEventType.COMPLETED, c).build()));
        var pending = redis.sync().xreadgroup(Consumer.from("controller", "controller-crashed"),
                XReadArgs.Builder.count(100), XReadArgs.StreamOffset.lastConsumed(stream.key()));
        assertThat(pending).hasSize(3);
        // While no controller reads, workers keep reporting: nothing is lost.
        LifecycleEvent late = event(LifecycleEventType.PROGRESS, claims.get(0)).message("still here").build();
        stream.publish(late);

        // Past lifecycle-claim-after (1 s) by Redis's own clock: the crashed replica's entries are up for grabs.
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.sync().xpending(stream.key(),
                        Consumer.from("controller", "controller-crashed"), Range.create("-", "+"),
                        Limit.from(100)).stream().allMatch(m -> m.getMsSinceLastDelivery() > 1_000));
        drain();

        for (String id : ids) {
            assertThat(taskRows.findById(id).orElseThrow().state()).as(id).isEqualTo(WorkOrderState.COMPLETED);
            assertThat(appliedEvents.countByTaskId(id)).as(id).isEqualTo(id.equals(claims.get(0).id()) ? 3 : 2);
        }
        assertThat(redis.sync().xpending(stream.key(), "controller").getCount()).isZero();
    }

    @Test
    void a_worker_that_goes_silent_is_marked_stale_and_its_task_is_recovered_and_claimed_again() {
        String worker = newWorker("refactor");
        String id = newTask("refactor");
        Claim held = queue.claim(TaskType.REFACTOR, worker).orElseThrow();
        registry.heartbeat(ADMIN, worker, new Heartbeat(null, worker, WorkerStatus.BUSY, List.of(), null, clock.instant(), Map.of()));
        double before = meters.find("agentvine.recoveries").tag("reason", "worker_stale").tag("outcome", "requeued")
                .counters().stream().mapToDouble(x -> x.count()).sum();

        assertThat(sweeper.runOnce().healthChanges()).isEmpty();
        clock.advance(Duration.ofSeconds(45)); // > 2 heartbeat intervals: degraded, but its lease is extended elsewhere
        queue.extend(held);
        assertThat(sweeper.runOnce().healthChanges()).contains(worker + ":healthy->degraded");
        assertThat(taskRows.findById(id).orElseThrow().state()).isEqualTo(WorkOrderState.QUEUED);

        clock.advance(Duration.ofSeconds(300));
        FleetSweeper.Sweep sweep = sweeper.runOnce();

        assertThat(sweep.healthChanges()).contains(worker + ":degraded->stale");
        assertThat(sweep.fromStaleWorkers().requeued()).containsExactly(id);
        assertThat(registry.get(ADMIN, worker).health()).isEqualTo("stale");
        assertThat(taskRows.findById(id).orElseThrow().state()).isEqualTo(WorkOrderState.QUEUED);
        assertThat(queue.extend(held).lost()).as("the silent worker's lease is fenced off").isTrue();
        assertThat(queue.claim(TaskType.REFACTOR, "w-other")).map(Claim::id).contains(id);
        assertThat(meters.find("agentvine.recoveries").tag("reason", "worker_stale").tag("outcome", "requeued")
                .counters().stream().mapToDouble(x -> x.count()).sum()).isEqualTo(before + 1);
        assertThat(sweeper.runOnce().fromStaleWorkers().total()).as("recovered once").isZero();
    }

    @Inject HeartbeatBuffer beats;

    private Heartbeat beat(String worker, WorkerStatus status) {
        return new Heartbeat(null, worker, status, List.of(), null, clock.instant(), Map.of("seq", 1));
    }

    @Test
    void a_heartbeat_is_answered_at_once_and_written_at_the_next_flush() {
        String worker = newWorker("docs");
        beats.flush();
        assertThat(registry.heartbeat(ADMIN, worker, beat(worker, WorkerStatus.BUSY)).command())
                .isEqualTo(WorkerCommand.NONE);
        assertThat(workerRows.findById(worker).orElseThrow().status()).as("not yet written").isEqualTo("starting");
        assertThat(beats.flush()).isEqualTo(1);
        assertThat(workerRows.findById(worker).orElseThrow().status()).isEqualTo("busy");
        assertThat(workerRows.findById(worker).orElseThrow().metadata()).contains("seq");
    }

    @Test
    void a_step_a_beat_brought_before_the_task_ran_arrives_with_a_later_beat_once_the_resend_time_passed() {
        String worker = newWorker("refactor");
        String id = newTask("refactor");
        Claim c = queue.claim(TaskType.REFACTOR, worker).orElseThrow();
        java.time.Instant since = clock.instant();
        Heartbeat cloning = new Heartbeat(null, worker, WorkerStatus.BUSY, List.of(new io.agentvine.model.CurrentTask(c.id(), id,
                TaskType.REFACTOR, since, c.attempt(), io.agentvine.model.RunStep.CLONING, since)), null, since, Map.of());

        registry.heartbeat(ADMIN, worker, cloning); // the started event has not been applied yet: the task is queued
        beats.flush();
        assertThat(taskRows.findById(id).orElseThrow().step()).isNull();
        stream.publish(event(LifecycleEventType.STARTED, c).build());
        drain();
        registry.heartbeat(ADMIN, worker, cloning);
        assertThat(beats.flush()).isEqualTo(1);
        assertThat(taskRows.findById(id).orElseThrow().step()).as("written already: not sent again at once").isNull();

        clock.advance(HeartbeatBuffer.STEP_RESEND);
        registry.heartbeat(ADMIN, worker, cloning);
        beats.flush();
        assertThat(taskRows.findById(id).orElseThrow().step()).isEqualTo("cloning");
        assertThat(taskRows.findById(id).orElseThrow().stepSince()).isEqualTo(since.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    }

    @Test
    void a_command_another_replica_issued_while_a_beat_was_pending_is_not_overwritten() {
        String worker = newWorker("docs");
        registry.command(worker, WorkerCommand.PAUSE);
        // The worker complies: this beat clears "pause" — but only if "pause" is still what the row says.
        assertThat(registry.heartbeat(ADMIN, worker, beat(worker, WorkerStatus.PAUSED)).command())
                .isEqualTo(WorkerCommand.NONE);
        // Meanwhile an operator on another replica asks it to drain (a direct write: this replica's cache doesn't know).
        workerRows.updateCommand(worker, "drain");
        beats.flush();
        assertThat(workerRows.findById(worker).orElseThrow().command()).isEqualTo("drain");
        assertThat(workerRows.findById(worker).orElseThrow().status()).isEqualTo("paused");
    }

    @Test
    void heartbeats_of_an_unknown_or_deregistered_worker_are_refused_without_a_write() {
        Assertions.assertThatThrownBy(() -> registry.heartbeat(ADMIN, "w-none", beat("w-none", WorkerStatus.IDLE)))
                .hasMessageContaining("does not exist");
        String worker = newWorker("docs");
        registry.deregister(ADMIN, worker);
        Assertions.assertThatThrownBy(() -> registry.heartbeat(ADMIN, worker, beat(worker, WorkerStatus.IDLE)))
                .hasMessageContaining("register again");
        assertThat(beats.flush()).isZero();
    }

    @Test
    void expired_leases_are_recovered_by_the_sweeper() {
        String id = newTask("bugfix");
        queue.claim(TaskType.BUGFIX, "w-vanished").orElseThrow();
        clock.advance(queue.settings().lease().plusSeconds(1));
        assertThat(sweeper.runOnce().fromExpiredLeases().requeued()).containsExactly(id);
        assertThat(queue.claim(TaskType.BUGFIX, "w-next")).map(Claim::id).contains(id);
    }
}
