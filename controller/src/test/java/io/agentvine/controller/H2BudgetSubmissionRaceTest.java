package io.agentvine.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.controller.budgets.BudgetEnforcer;
import io.agentvine.controller.budgets.BudgetHolds;
import io.agentvine.controller.budgets.BudgetStore;
import io.agentvine.controller.history.EventLog;
import io.agentvine.controller.lifecycle.LifecycleApplier;
import io.agentvine.controller.persistence.TaskRow;
import io.agentvine.controller.persistence.TaskStore;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.model.LifecycleEventType;
import io.agentvine.model.TaskType;
import io.agentvine.model.TokenUsage;
import io.agentvine.queue.Claim;
import io.agentvine.queue.testing.SettableClock;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A budget enforcer's pass between a new task's insert and its enqueue — another replica's, from a verdict the
 * submitting replica has not seen yet. Held then, its order would reach the queue all the same: run past the cap, and
 * again when the hold lifts. The pass leaves it alone; the next one takes it out of the queue. The race is made, not waited for: the submitting replica's hold check runs a real
 * enforcer pass first (the other replica) and then answers from its own, older verdict ("not held").
 */
@MicronautTest(transactional = false)
class H2BudgetSubmissionRaceTest extends ApiContractFixture {
    static final AtomicBoolean RACE = new AtomicBoolean();

    @Inject
    LifecycleApplier applier;

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
        // background off: every enforcer pass is the test's
        return propertiesWith("agentvine.budgets.repo-usd", "https://git.example.com/acme/shop.git=1", "test.racing-holds", "true",
                "agentvine.background.enabled", "false", "test.settable-clock", "true");
    }

    @Test
    void a_pass_between_a_tasks_insert_and_its_enqueue_leaves_it_to_the_next_pass() {
        Claim c = startedRun(applier, TaskType.FEATURE, "w-race", Instant.now());
        applier.apply(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.TOKEN_USAGE, c.id(), "w-race",
                c.attempt(), Instant.now()).tokenUsage(new TokenUsage(10, 10, 0, 0)).costUsd(1.5).build());

        RACE.set(true);
        Map<String, Object> created = call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("feature", "P2")));
        String id = (String) created.get("id");
        assertThat(RACE.get()).as("the other replica's pass ran").isFalse();
        assertThat(created).as("the pass left a task whose order was not enqueued yet alone").containsEntry("state", "queued");
        assertThat(queue.get(TaskType.FEATURE, id)).isPresent();

        assertThat(enforcer.runOnce().held()).as("the next pass takes it out of the queue").containsExactly(id);
        assertThat(call(ADMIN, HttpRequest.GET("/api/v1/tasks/" + id))).containsEntry("state", "waiting");
        assertThat(queue.get(TaskType.FEATURE, id)).as("no order for a held task").isEmpty();

        // a task queued in the database whose order is missing (a pass that took it out died before its commit) is held
        // once it has been queued for longer than a submission's enqueue can take
        RACE.set(true); // this replica's verdict: not held (else the submission holds it before any enqueue)
        String lost = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("feature", "P2"))).get("id");
        assertThat(queue.remove(TaskType.FEATURE, lost)).isTrue();
        assertThat(enforcer.runOnce().held()).as("young: perhaps not enqueued yet").doesNotContain(lost);
        clock.advance(Duration.ofMinutes(3));
        assertThat(enforcer.runOnce().held()).containsExactly(lost);

        call(ADMIN, HttpRequest.PUT("/api/v1/budgets/repo/" + URLEncoder.encode("https://git.example.com/acme/shop.git",
                StandardCharsets.UTF_8), Map.of("usd", 100)));
        assertThat(enforcer.runOnce().unheld()).containsExactlyInAnyOrder(id, lost);
        assertThat(queue.get(TaskType.FEATURE, id)).as("the hold lifted: its one order").isPresent();
    }

    /** This replica's hold check, with another replica's enforcer pass run just before it (once, when RACE is set). */
    @Singleton
    @Replaces(BudgetHolds.class)
    @Requires(property = "test.racing-holds", value = "true")
    static class RacingHolds extends BudgetHolds {
        private final Provider<BudgetEnforcer> otherReplica;

        RacingHolds(BudgetStore store, TaskStore tasks, EventLog events, Clock clock, Provider<BudgetEnforcer> otherReplica) {
            super(store, tasks, events, clock);
            this.otherReplica = otherReplica;
        }

        @Override
        public boolean held(TaskRow row, String chainId) {
            if (RACE.compareAndSet(true, false)) {
                otherReplica.get().runOnce(); // holds the task: queued in the database, not in the queue yet
                return false; // this replica's verdict is older: not held
            }
            return super.held(row, chainId);
        }
    }
}
