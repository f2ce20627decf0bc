package io.agentvine.model;

import static io.agentvine.model.WorkOrderState.AWAITING_APPROVAL;
import static io.agentvine.model.WorkOrderState.CANCELLED;
import static io.agentvine.model.WorkOrderState.COMPLETED;
import static io.agentvine.model.WorkOrderState.DEAD;
import static io.agentvine.model.WorkOrderState.DELAYED;
import static io.agentvine.model.WorkOrderState.FAILED;
import static io.agentvine.model.WorkOrderState.PARKED;
import static io.agentvine.model.WorkOrderState.QUEUED;
import static io.agentvine.model.WorkOrderState.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WorkOrderStateTest {

    @Test
    void completed_is_final_and_has_no_next_state() {
        assertThat(COMPLETED.isFinal()).isTrue();
        assertThat(COMPLETED.next()).isEmpty();
        for (WorkOrderState s : WorkOrderState.values()) {
            assertThat(COMPLETED.canMoveTo(s)).as("completed → %s", s).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"FAILED", "DEAD", "CANCELLED"})
    void other_final_states_only_go_back_to_queued_or_waiting_by_an_operator_retry(WorkOrderState state) {
        assertThat(state.isFinal()).isTrue();
        assertThat(state.next()).containsExactlyInAnyOrder(QUEUED, WorkOrderState.WAITING);
    }

    @Test
    void a_waiting_task_is_released_into_the_queue_or_cancelled() {
        assertThat(WorkOrderState.WAITING.next()).containsExactlyInAnyOrder(QUEUED, CANCELLED);
        assertThat(WorkOrderState.WAITING.isFinal()).isFalse();
    }

    @Test
    void queued_can_only_be_claimed_or_cancelled() {
        assertThat(QUEUED.next()).containsExactlyInAnyOrder(RUNNING, CANCELLED);
        assertThat(QUEUED.canMoveTo(COMPLETED)).isFalse();
    }

    @Test
    void delayed_only_becomes_due_or_is_cancelled() {
        assertThat(DELAYED.next()).containsExactlyInAnyOrder(QUEUED, CANCELLED);
    }

    @Test
    void a_running_order_can_end_every_way_or_wait_for_approval_or_park() {
        assertThat(RUNNING.next()).containsExactlyInAnyOrder(COMPLETED, FAILED, DELAYED, QUEUED, DEAD, CANCELLED,
                AWAITING_APPROVAL, PARKED);
    }

    @Test
    void a_parked_order_goes_back_to_its_queue_or_is_cancelled_and_nothing_else() {
        assertThat(PARKED.next()).containsExactlyInAnyOrder(QUEUED, CANCELLED);
        assertThat(AWAITING_APPROVAL.canMoveTo(PARKED)).isTrue();
        assertThat(PARKED.isFinal()).isFalse();
    }

    @Test
    void an_order_awaiting_approval_resumes_or_ends_but_is_never_retried_with_a_delay() {
        assertThat(AWAITING_APPROVAL.canMoveTo(RUNNING)).isTrue();
        assertThat(AWAITING_APPROVAL.canMoveTo(COMPLETED)).isTrue();
        assertThat(AWAITING_APPROVAL.canMoveTo(DELAYED)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(WorkOrderState.class)
    void no_state_moves_to_itself(WorkOrderState state) {
        assertThat(state.canMoveTo(state)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(WorkOrderState.class)
    void next_lists_exactly_the_allowed_moves(WorkOrderState state) {
        for (WorkOrderState other : WorkOrderState.values()) {
            assertThat(state.next().contains(other)).as("%s → %s", state, other).isEqualTo(state.canMoveTo(other));
        }
    }

    @Test
    void next_cannot_be_used_to_change_the_table() {
        assertThatThrownBy(() -> QUEUED.next().add(COMPLETED)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(QUEUED.canMoveTo(COMPLETED)).isFalse();
    }

    @Test
    void every_state_is_reachable_from_where_a_task_starts() {
        java.util.Set<WorkOrderState> reached = EnumSet.copyOf(reachableFrom(QUEUED));
        reached.addAll(reachableFrom(WorkOrderState.WAITING));
        assertThat(reached).containsExactlyInAnyOrder(WorkOrderState.values());
    }

    @ParameterizedTest
    @EnumSource(WorkOrderState.class)
    void every_state_but_completed_can_still_lead_to_completion(WorkOrderState state) {
        if (state != COMPLETED) {
            assertThat(reachableFrom(state)).contains(COMPLETED);
        }
    }

    @Test
    void the_final_states_are_the_ones_no_worker_holds() {
        assertThat(EnumSet.allOf(WorkOrderState.class).stream().filter(WorkOrderState::isFinal))
                .containsExactlyInAnyOrder(COMPLETED, FAILED, DEAD, CANCELLED);
    }

    private static Set<WorkOrderState> reachableFrom(WorkOrderState start) {
        Set<WorkOrderState> seen = EnumSet.of(start);
        Deque<WorkOrderState> todo = new ArrayDeque<>(Set.of(start));
        while (!todo.isEmpty()) {
            for (WorkOrderState next : todo.pop().next()) {
                if (seen.add(next)) {
                    todo.push(next);
                }
            }
        }
        return seen;
    }
}
