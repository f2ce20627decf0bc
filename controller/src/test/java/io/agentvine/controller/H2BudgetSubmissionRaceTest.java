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
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A new task that the budget enforcer holds between its insert and its enqueue — another replica's pass, from a
 * verdict the submitting replica has not seen yet. Its order must not reach the queue: it would run past the cap,
 * and again when the hold lifts. The race is made, not waited for: the submitting replica's hold check runs a real
 * enforcer pass first (the other replica) and then answers from its own, older verdict ("not held").
 */
@MicronautTest(transactional = false)
class H2BudgetSubmissionRaceTest extends ApiContractFixture {
    static final AtomicBoolean RACE = new AtomicBoolean();

    @Inject
    LifecycleApplier applier;

    @Inject
    BudgetEnforcer enforcer;

    @Override
    protected Map<String, String> database() {
        return TestDatabases.h2();
    }

    @Override
    public Map<String, String> getProperties() {
        // background off: every enforcer pass is the test's
        return propertiesWith("agentvine.budgets.repo-usd", "https://git.example.com/acme/shop.git=1", "test.racing-holds", "true",
                "agentvine.background.enabled", "false");
    }

    @Test
    void a_task_held_between_its_insert_and_its_enqueue_never_reaches_the_queue() {
        Claim c = startedRun(applier, TaskType.FEATURE, "w-race", Instant.now());
        applier.apply(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.TOKEN_USAGE, c.id(), "w-race",
                c.attempt(), Instant.now()).tokenUsage(new TokenUsage(10, 10, 0, 0)).costUsd(1.5).build());

        RACE.set(true);
        Map<String, Object> created = call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("feature", "P2")));
        String id = (String) created.get("id");
        assertThat(RACE.get()).as("the other replica's pass ran").isFalse();
        assertThat(created).containsEntry("state", "waiting");
        assertThat(queue.get(TaskType.FEATURE, id)).as("no order for a held task").isEmpty();

        call(ADMIN, HttpRequest.PUT("/api/v1/budgets/repo/" + URLEncoder.encode("https://git.example.com/acme/shop.git",
                StandardCharsets.UTF_8), Map.of("usd", 100)));
        assertThat(enforcer.runOnce().unheld()).containsExactly(id);
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
