package io.agentvine.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.controller.budgets.BudgetEnforcer;
import io.agentvine.controller.lifecycle.LifecycleApplier;
import io.agentvine.controller.lifecycle.LifecycleConsumer;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.model.LifecycleEventType;
import io.agentvine.model.TaskType;
import io.agentvine.model.TokenUsage;
import io.agentvine.queue.Claim;
import io.agentvine.queue.testing.SettableClock;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A capped repository's task that a worker ran and acknowledged while the controller's lifecycle consumer lagged
 * behind (a controller down for minutes, say): the database still says queued and its order is gone from Redis —
 * which is also what a pass that died between taking an order out and its commit leaves. Held then, the task would
 * run a second time when the hold lifts. The enforcer holds a missing order only once the consumer has applied what
 * the workers had written when it was found missing; here the reports say the task ran, and it is never held.
 */
@MicronautTest(transactional = false)
class H2BudgetLifecycleLagTest extends ApiContractFixture {
    @Inject
    LifecycleApplier applier;

    @Inject
    LifecycleConsumer consumer;

    @Inject
    BudgetEnforcer enforcer;

    @Inject
    SettableClock clock;

    @Override
    protected Map<String, String> database() {
        return TestDatabases.h2();
    }

    @Override
    public Map<String, String> getProperties() {
        // background off: the consumer reads only when the test says so, every enforcer pass is the test's
        return propertiesWith("agentvine.budgets.repo-usd", "https://git.example.com/acme/shop.git=1",
                "agentvine.background.enabled", "false", "test.settable-clock", "true");
    }

    @Test
    void a_task_run_while_the_consumer_lagged_is_not_held_and_run_again() {
        String ran = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("feature", "P2"))).get("id");
        Claim c = queue.claim(TaskType.FEATURE, "w-lag").orElseThrow();
        assertThat(c.id()).isEqualTo(ran);
        // the worker reports its start, its spending (past the repository's cap) and its end on the stream, and
        // acknowledges the order in between, as it does; the controller reads none of it yet
        lifecycle.publish(event(c, LifecycleEventType.STARTED).claimedAt(clock.instant()).build());
        lifecycle.publish(event(c, LifecycleEventType.TOKEN_USAGE).tokenUsage(new TokenUsage(10, 10, 0, 0)).costUsd(1.5).build());
        assertThat(queue.ack(c)).isTrue();
        lifecycle.publish(event(c, LifecycleEventType.COMPLETED).build());
        // a queued task whose order is missing for the other reason: a pass took it out and died before its commit
        String lost = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("feature", "P2"))).get("id");
        assertThat(queue.remove(TaskType.FEATURE, lost)).isTrue();
        // the same spending known to the database another way (another task's report, applied): the repository is capped
        Claim other = startedRun(applier, TaskType.FEATURE, "w-other", clock.instant());
        applier.apply(event(other, LifecycleEventType.TOKEN_USAGE).tokenUsage(new TokenUsage(10, 10, 0, 0)).costUsd(1.5).build());
        clock.advance(Duration.ofMinutes(3)); // past the enqueue's grace

        assertThat(call(ADMIN, HttpRequest.GET("/api/v1/tasks/" + ran))).as("the database is behind").containsEntry("state", "queued");
        assertThat(queue.get(TaskType.FEATURE, ran)).as("its order is gone: acknowledged").isEmpty();
        assertThat(enforcer.runOnce().held()).as("the reports are not applied yet: neither is held").isEmpty();
        assertThat(enforcer.runOnce().held()).isEmpty();

        while (consumer.runOnce(Duration.ofMillis(10)) > 0) {
            // the controller catches up: the task's start, spending and end
        }
        assertThat(call(ADMIN, HttpRequest.GET("/api/v1/tasks/" + ran))).containsEntry("state", "completed");
        assertThat(enforcer.runOnce().held()).as("caught up: the order a dead pass took out is held, the one that ran is not")
                .containsExactly(lost);
        assertThat(call(ADMIN, HttpRequest.GET("/api/v1/tasks/" + ran))).as("ran once, never held").containsEntry("state", "completed");
        assertThat(call(ADMIN, HttpRequest.GET("/api/v1/tasks/" + lost))).containsEntry("state", "waiting");
    }

    private LifecycleEvent.Builder event(Claim c, LifecycleEventType type) {
        return LifecycleEvent.builder(UUID.randomUUID().toString(), type, c.id(), c.workerId(), c.attempt(), clock.instant())
                .taskType(c.order().type());
    }
}
