package io.agentvine.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.model.RunStep;
import io.agentvine.queue.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A run's step on the worker's clock: each change once, a wait left only while the run is still in it. */
class CurrentStepTest {
    private final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final CurrentStep step = new CurrentStep(clock);

    @Test
    void entering_a_step_says_since_when_and_entering_it_again_says_nothing() {
        assertThat(step.now()).isNull();
        assertThat(step.enter(RunStep.CLONING)).contains(new CurrentStep.At(RunStep.CLONING, clock.instant()));
        clock.advance(Duration.ofSeconds(3));
        assertThat(step.enter(RunStep.CLONING)).isEmpty();
        assertThat(step.now().since()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(step.enter(RunStep.AGENT_RUNNING)).contains(new CurrentStep.At(RunStep.AGENT_RUNNING, clock.instant()));
    }

    @Test
    void a_wait_is_left_only_while_the_run_is_still_waiting() {
        step.enter(RunStep.AGENT_RUNNING);
        step.enter(RunStep.WAITING_FOR_ANSWER);
        clock.advance(Duration.ofSeconds(1));

        assertThat(step.leave(RunStep.WAITING_FOR_ANSWER, RunStep.AGENT_RUNNING)).map(CurrentStep.At::step)
                .contains(RunStep.AGENT_RUNNING);
        step.enter(RunStep.TESTING);
        assertThat(step.leave(RunStep.WAITING_FOR_ANSWER, RunStep.AGENT_RUNNING)).as("the run moved on").isEmpty();
        assertThat(step.now().step()).isEqualTo(RunStep.TESTING);
    }
}
