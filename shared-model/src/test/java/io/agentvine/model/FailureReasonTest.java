package io.agentvine.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FailureReasonTest {

    @Test
    void causes_outside_the_task_are_retryable_and_the_rest_are_not() {
        assertThat(Arrays.stream(FailureReason.values()).filter(FailureReason::retryable))
                .containsExactlyInAnyOrder(FailureReason.AGENT_ERROR, FailureReason.TIMEOUT, FailureReason.STALLED,
                        FailureReason.CLONE_FAILED, FailureReason.PUSH_FAILED, FailureReason.WORKER_LOST);
    }

    @Test
    void a_lost_lease_is_not_retried_by_the_holder_that_lost_it() {
        // The queue already took the order back; a retry from the old holder would run it twice.
        assertThat(FailureReason.LOST_LEASE.retryable()).isFalse();
    }

    @Test
    void failures_that_need_a_human_are_not_retried() {
        assertThat(FailureReason.NEEDS_CLARIFICATION.retryable()).isFalse();
        assertThat(FailureReason.TESTS_FAILED.retryable()).isFalse();
        assertThat(FailureReason.BUDGET_EXCEEDED.retryable()).isFalse();
    }

    @Test
    void wire_names_are_snake_case() {
        assertThat(Json.write(FailureReason.NEEDS_CLARIFICATION)).isEqualTo("\"needs_clarification\"");
        assertThat(FailureReason.fromWire("budget_exceeded")).isEqualTo(FailureReason.BUDGET_EXCEEDED);
    }
}
