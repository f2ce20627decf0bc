package io.agentvine.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.controller.clarifications.ClarificationService;
import io.agentvine.controller.lifecycle.LifecycleApplier;
import io.agentvine.controller.lifecycle.LifecycleConsumer;
import io.agentvine.controller.lifecycle.LostParkReports;
import io.agentvine.controller.parking.ParkedRuns;
import io.agentvine.controller.persistence.TaskRepository;
import io.agentvine.model.ClarificationKind;
import io.agentvine.model.ClarificationRequest;
import io.agentvine.model.ClarificationStatus;
import io.agentvine.model.Json;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.model.LifecycleEventType;
import io.agentvine.model.ParkedRun;
import io.agentvine.model.TaskType;
import io.agentvine.model.WorkOrder;
import io.agentvine.queue.Claim;
import io.agentvine.queue.WorkQueue;
import io.agentvine.queue.testing.SettableClock;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Parked runs going back to the queue (issue #21) against the real controller (H2, Redis), the loop driven by
 * {@link ParkedRuns#runOnce()}: the task's row keeps the order as it went back (decision and saved work), so an order
 * rebuilt from the row later resumes the run; an order missing from Redis goes in again only once the workers'
 * reports are applied (a worker may have run it — a second enqueue would run it twice); reports written before the park
 * and delivered late leave the task parked; a park whose report was lost is applied from the parked order.
 */
@MicronautTest(transactional = false)
class H2ParkedRunsTest extends ApiContractFixture {
    @Inject
    LifecycleApplier applier;

    @Inject
    LifecycleConsumer consumer;

    @Inject
    ClarificationService clarifications;

    @Inject
    ParkedRuns parked;

    @Inject
    TaskRepository tasks;

    @Inject
    LostParkReports lost;

    @Inject
    SettableClock clock;

    @Override
    protected Map<String, String> database() {
        return TestDatabases.h2();
    }

    @Override
    public Map<String, String> getProperties() {
        // background off: the consumer reads and the parked-runs loop runs only when the test says so
        return propertiesWith("agentvine.background.enabled", "false", "test.settable-clock", "true");
    }

    @Test
    void a_decided_run_goes_back_with_its_decision_kept_and_a_missing_order_waits_for_the_workers_reports() {
        Claim a = parkedRun("w-park-a");
        Claim b = parkedRun("w-park-b");
        // b's parked order is gone from Redis, and a worker's report waits unread on the stream
        try (var admin = redisClient.connect()) {
            admin.sync().del(queue.keys(TaskType.FEATURE).order(b.id()));
            admin.sync().zrem(queue.keys(TaskType.FEATURE).prefix() + "parked", b.id());
        }
        lifecycle.publish(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.PROGRESS, a.id(), a.workerId(),
                a.attempt(), Instant.now()).taskType(TaskType.FEATURE).message("a report not applied yet").build());

        assertThat(parked.runOnce()).as("b waits for the reports").containsExactly(a.id());
        WorkOrder kept = Json.read(tasks.findById(a.id()).orElseThrow().workOrder(), WorkOrder.class);
        assertThat(kept.parked().decision()).as("the row keeps the decision").isEqualTo(ClarificationStatus.ANSWERED);
        assertThat(kept.parked().answer()).isEqualTo("Blue.");
        assertThat(call(ADMIN, HttpRequest.GET("/api/v1/tasks/" + b.id()))).containsEntry("state", "parked");
        assertThat(queue.get(TaskType.FEATURE, b.id())).isEmpty();

        while (consumer.runOnce(Duration.ofMillis(10)) > 0) {
            // the controller catches up
        }
        assertThat(parked.runOnce()).as("caught up: lost for certain, it goes in again").containsExactly(b.id());
        Claim again = queue.claim(TaskType.FEATURE, "w-next").orElseThrow();
        if (!again.id().equals(b.id())) {
            again = queue.claim(TaskType.FEATURE, "w-next").orElseThrow();
        }
        assertThat(again.id()).isEqualTo(b.id());
        assertThat(again.order().parked().answer()).as("with its decision").isEqualTo("Blue.");
    }

    @Test
    void a_park_whose_report_was_lost_is_applied_from_the_parked_order_and_its_answer_brings_it_back() {
        Claim c = startedRun(applier, TaskType.FEATURE, "w-lost", Instant.now());
        String question = ask(c);
        LifecycleEvent report = parkReport(c, question, Instant.now());
        assertThat(queue.park(c, Json.write(report))).isEqualTo(WorkQueue.ParkResult.PARKED);
        // the worker is killed here: its report of the park never reaches the stream
        assertThat(lost.runOnce()).as("parked a moment ago: its report may be on its way").isEmpty();
        clock.advance(Duration.ofMinutes(3));
        assertThat(lost.runOnce()).containsExactly(c.id());
        assertThat(call(ADMIN, HttpRequest.GET("/api/v1/tasks/" + c.id()))).containsEntry("state", "parked");
        assertThat(applier.apply(report)).as("the report arriving after all changes nothing").isFalse();

        call(ADMIN, HttpRequest.POST("/api/v1/clarifications/" + question + "/answer", Map.of("answer", "Green.")));
        assertThat(parked.runOnce()).containsExactly(c.id());
        Claim back = queue.claim(TaskType.FEATURE, "w-next").orElseThrow();
        assertThat(back.id()).isEqualTo(c.id());
        assertThat(back.order().parked().answer()).as("resumed with the answer").isEqualTo("Green.");
    }

    /** The worker's question for run {@code c}, received by the controller. */
    private String ask(Claim c) {
        String question = "q-" + UUID.randomUUID();
        Instant now = Instant.now();
        clarifications.receive(new ClarificationRequest(1, question, ClarificationKind.QUESTION, c.workerId(), c.id(), c.id(),
                "Which colour?", List.of(), Map.of(), now, now.plus(Duration.ofHours(4)), null, null, List.of(), Map.of()));
        return question;
    }

    /** The worker's report that run {@code c} parked on {@code question}, its work saved. */
    private static LifecycleEvent parkReport(Claim c, String question, Instant at) {
        ParkedRun p = new ParkedRun(ClarificationKind.QUESTION, question, "Which colour?", ParkedRun.refOf(c.id()),
                "1111111111111111111111111111111111111111", "claude-code", null, at, null, null, null);
        return LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.PARKED, c.id(), c.workerId(), c.attempt(), at)
                .taskType(TaskType.FEATURE).result(Map.of("parked", Json.mapper().convertValue(p, Map.class))).build();
    }

    /** A started run that asked a question, parked by its worker (queue and report), the question then answered. */
    private Claim parkedRun(String worker) {
        Claim c = startedRun(applier, TaskType.FEATURE, worker, Instant.now());
        String question = ask(c);
        Instant now = Instant.now();
        assertThat(queue.park(c)).isEqualTo(WorkQueue.ParkResult.PARKED);
        applier.apply(parkReport(c, question, now));
        assertThat(call(ADMIN, HttpRequest.GET("/api/v1/tasks/" + c.id()))).containsEntry("state", "parked");
        Instant before = now.minusSeconds(30); // its start, delivered again late (a replica died before acknowledging it)
        applier.apply(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.STARTED, c.id(), worker, c.attempt(),
                before).taskType(TaskType.FEATURE).claimedAt(before).build());
        applier.apply(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.AWAITING_APPROVAL, c.id(), worker,
                c.attempt(), before).taskType(TaskType.FEATURE).build());
        assertThat(call(ADMIN, HttpRequest.GET("/api/v1/tasks/" + c.id()))).as("reports older than the park move nothing")
                .containsEntry("state", "parked");
        call(ADMIN, HttpRequest.POST("/api/v1/clarifications/" + question + "/answer", Map.of("answer", "Blue.")));
        return c;
    }
}
