package io.agentvine.controller.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.model.WorkOrderState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The task state machine, as the table in docs/architecture.md: every state × every event. */
class TaskStateMachineTest {
    private static final String[] EVENTS = {"STARTED", "AWAITING_APPROVAL", "COMPLETED", "RETRY_SCHEDULED", "FAILED",
            "DEAD_LETTERED", "CANCELLED", "REQUEUED", "RETRIED", "RELEASED", "HELD", "BUDGET_HELD",
            "PARKED", "UNPARKED"};

    /** One row per state, one column per event in {@link #EVENTS}' order; "-" is a refused move. */
    private static final String[][] TABLE = {
            {"QUEUED", "running", "awaiting_approval", "completed", "delayed", "failed", "dead", "cancelled", "queued", "-", "-", "-", "waiting", "parked", "-"},
            {"DELAYED", "running", "awaiting_approval", "completed", "delayed", "failed", "dead", "cancelled", "queued", "-", "-", "-", "-", "parked", "-"},
            {"RUNNING", "running", "awaiting_approval", "completed", "delayed", "failed", "dead", "cancelled", "queued", "-", "-", "-", "-", "parked", "-"},
            {"AWAITING_APPROVAL", "running", "awaiting_approval", "completed", "delayed", "failed", "dead", "cancelled", "queued", "-", "-", "-", "-", "parked", "-"},
            {"COMPLETED", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"},
            {"FAILED", "-", "-", "-", "-", "-", "-", "-", "-", "queued", "-", "waiting", "-", "-", "-"},
            {"DEAD", "-", "-", "-", "-", "-", "-", "-", "-", "queued", "-", "waiting", "-", "-", "-"},
            {"CANCELLED", "-", "-", "-", "-", "-", "-", "-", "-", "queued", "-", "waiting", "-", "-", "-"},
            {"WAITING", "-", "-", "-", "-", "-", "-", "cancelled", "-", "-", "queued", "-", "-", "-", "-"},
            {"PARKED", "running", "awaiting_approval", "completed", "delayed", "failed", "dead", "cancelled", "queued", "-", "-", "-", "-", "parked", "queued"},
    };

    static Stream<Arguments> moves() {
        List<Arguments> moves = new ArrayList<>();
        for (String[] row : TABLE) {
            for (int i = 0; i < EVENTS.length; i++) {
                moves.add(Arguments.of(WorkOrderState.valueOf(row[0]), TaskEvent.valueOf(EVENTS[i]), row[i + 1]));
            }
        }
        return moves.stream();
    }

    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @MethodSource("moves")
    void each_state_and_event_leads_where_the_table_says(WorkOrderState from, TaskEvent event, String expected) {
        Optional<WorkOrderState> to = TaskStateMachine.next(from, event);
        assertThat(to.map(WorkOrderState::wireName).orElse("-")).isEqualTo(expected);
        assertThat(TaskStateMachine.move("t-1", from, event)).isEqualTo(to);
    }

    @Test
    void the_table_covers_every_state_and_every_event_once() {
        assertThat(Stream.of(TABLE).map(r -> WorkOrderState.valueOf(r[0]))).containsExactly(WorkOrderState.values());
        assertThat(Stream.of(EVENTS).map(TaskEvent::valueOf)).containsExactly(TaskEvent.values());
    }
}
