package io.agentvine.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentvine.controller.lifecycle.LifecycleApplier;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.model.LifecycleEventType;
import io.agentvine.model.TaskType;
import io.agentvine.model.TokenUsage;
import io.agentvine.queue.Claim;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The budget enforcer's own loop (background on, its periodic check an hour away): a usage report that reaches a cap
 * holds the scope's claims at once — the enforcer is woken after the report's transaction committed, so its pass sees
 * the spending (woken before, it read the old figures and the cap held only at the next check).
 */
@MicronautTest(transactional = false)
class H2BudgetWakeupTest extends ApiContractFixture {
    @Inject
    LifecycleApplier applier;

    @Override
    protected Map<String, String> database() {
        return TestDatabases.h2();
    }

    @Override
    public Map<String, String> getProperties() {
        return propertiesWith("agentvine.background.enabled", "true", "agentvine.budgets.check", "1h",
                "agentvine.budgets.type-usd", "docs=1");
    }

    @Test
    void usage_that_reaches_a_cap_holds_the_claims_at_once_not_at_the_next_check() {
        Claim c = startedRun(applier, TaskType.DOCS, "w-wake", Instant.now());
        String id = c.id();
        assertThat(queue.stats(TaskType.DOCS).budgetPaused()).isFalse();

        applier.apply(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.TOKEN_USAGE, id, "w-wake",
                c.attempt(), Instant.now()).tokenUsage(new TokenUsage(10, 10, 0, 0)).costUsd(1.5).build());

        await().atMost(Duration.ofSeconds(20)).until(() -> queue.stats(TaskType.DOCS).budgetPaused());
        assertThat(queue.stats(TaskType.FEATURE).budgetPaused()).as("another type's claims go on").isFalse();
    }
}
