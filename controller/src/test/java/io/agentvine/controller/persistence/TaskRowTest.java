package io.agentvine.controller.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentvine.controller.domain.TaskEvent;
import io.agentvine.model.Priority;
import io.agentvine.model.TaskType;
import io.agentvine.model.WorkOrder;
import io.agentvine.model.WorkOrderState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TaskRowTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);

    private static TaskRow queued() {
        WorkOrder order = new WorkOrder(null, "t-1", "t-1", TaskType.DOCS, Priority.P2, "https://git.example.com/a/b.git",
                "main", "Docs", "Write them.", null, null, null, "sonnet", null, null, 0, null, T0, T0, null, null, null);
        return TaskRow.queued(order, Priority.P2.queueLevel(), "P2 → standard", 0.5, T0);
    }

    @Test
    void a_new_row_is_queued_with_the_orders_fields_and_no_usage() {
        TaskRow row = queued();
        assertThat(row.state()).isEqualTo(WorkOrderState.QUEUED);
        assertThat(row.type()).isEqualTo(TaskType.DOCS.name());
        assertThat(row.queueLevel()).isEqualTo(Priority.P2.queueLevel().wireName());
        assertThat(row.permissionLevel()).isEqualTo("supervised");
        assertThat(row.attempts()).isZero();
        assertThat(row.createdAt()).isEqualTo(T0).isEqualTo(row.updatedAt());
        assertThat(row.workOrder()).contains("\"task_id\":\"t-1\"");
    }

    @Test
    void a_move_the_machine_allows_changes_state_times_and_error() {
        TaskRow running = queued().started("w-1", 1, T0);
        assertThat(running.state()).isEqualTo(WorkOrderState.RUNNING);
        assertThat(running.workerId()).isEqualTo("w-1");
        assertThat(running.startedAt()).isEqualTo(T0);
        TaskRow dead = running.after(TaskEvent.DEAD_LETTERED, "stalled", T1);
        assertThat(dead.state()).isEqualTo(WorkOrderState.DEAD);
        assertThat(dead.error()).isEqualTo("stalled");
        assertThat(dead.finishedAt()).isEqualTo(T1);
        TaskRow retried = dead.after(TaskEvent.RETRIED, null, T1);
        assertThat(retried.state()).isEqualTo(WorkOrderState.QUEUED);
        assertThat(retried.finishedAt()).isNull();
    }

    @Test
    void a_move_the_machine_refuses_leaves_the_row_as_it_was() {
        TaskRow completed = queued().started("w-1", 1, T0).completed("{\"commit\":\"abc\"}", T1);
        assertThat(completed.state()).isEqualTo(WorkOrderState.COMPLETED);
        assertThat(completed.after(TaskEvent.CANCELLED, "late", T1.plusSeconds(1))).isSameAs(completed);
        assertThat(completed.started("w-2", 2, T1.plusSeconds(1))).isSameAs(completed);
        TaskRow queued = queued();
        assertThat(queued.after(TaskEvent.RETRIED, null, T1)).as("only an ended task is retried").isSameAs(queued);
        assertThatThrownBy(() -> queued().after(TaskEvent.STARTED, null, T1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_step_stays_while_the_task_runs_or_awaits_approval_and_goes_when_it_leaves_running() {
        TaskRow testing = queued().started("w-1", 1, T0).withStep("testing", T1);
        assertThat(testing.step()).isEqualTo("testing");
        assertThat(testing.stepSince()).isEqualTo(T1);
        TaskRow awaiting = testing.withStep("waiting_for_approval", T1.plusSeconds(1)).after(TaskEvent.AWAITING_APPROVAL, null, T1);
        assertThat(awaiting.step()).isEqualTo("waiting_for_approval");
        assertThat(awaiting.plusUsage(1, 1, 0, 0, 0.1, T1).step()).as("usage keeps it").isEqualTo("waiting_for_approval");
        assertThat(awaiting.completed(null, T1).step()).isNull();
        TaskRow requeued = testing.after(TaskEvent.REQUEUED, null, T1);
        assertThat(requeued.step()).isNull();
        assertThat(requeued.stepSince()).isNull();
        assertThat(testing.after(TaskEvent.RETRY_SCHEDULED, "agent_error", T1).step()).isNull();
        assertThat(requeued.started("w-2", 1, T1).step()).as("a new run starts without one").isNull();
    }
}
