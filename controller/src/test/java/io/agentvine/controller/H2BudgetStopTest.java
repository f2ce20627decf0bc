package io.agentvine.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.controller.budgets.BudgetEnforcer;
import io.agentvine.controller.lifecycle.LifecycleApplier;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.model.LifecycleEventType;
import io.agentvine.model.TaskType;
import io.agentvine.model.TokenUsage;
import io.agentvine.queue.Claim;
import io.agentvine.queue.testing.SettableClock;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code on-cap: stop}: a cap reached stops the scope's running attempts through the operator's cancel, once each. */
@MicronautTest(transactional = false)
class H2BudgetStopTest extends ApiContractFixture {
    @Inject
    BudgetEnforcer enforcer;

    @Inject
    LifecycleApplier applier;

    @Inject
    SettableClock clock;

    @Override
    protected Map<String, String> database() {
        return TestDatabases.h2();
    }

    @Override
    public Map<String, String> getProperties() {
        return propertiesWith("test.settable-clock", "true", "agentvine.background.enabled", "false",
                "agentvine.budgets.type-usd", "docs=1", "agentvine.budgets.on-cap", "stop");
    }

    @Test
    void a_reached_cap_stops_the_running_attempts_of_its_scope_and_leaves_the_others() {
        Claim docs = start(TaskType.DOCS);
        Claim feature = start(TaskType.FEATURE);
        applier.apply(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.TOKEN_USAGE, docs.id(), "w-stop",
                docs.attempt(), clock.instant()).tokenUsage(new TokenUsage(10, 10, 0, 0)).costUsd(1.5).build());

        assertThat(enforcer.runOnce().stopped()).containsExactly(docs.id());
        assertThat(queue.extend(docs).cancelRequested()).isTrue();
        assertThat(queue.extend(feature).cancelRequested()).isFalse();
        assertThat(enforcer.runOnce().stopped()).as("asked once").isEmpty();
    }

    private Claim start(TaskType type) {
        return startedRun(applier, type, "w-stop", clock.instant());
    }
}
