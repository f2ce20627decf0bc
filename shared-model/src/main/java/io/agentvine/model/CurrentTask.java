package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * One work order a worker is running, as listed in its {@link Heartbeat}. The controller matches
 * it against the queue's lease to spot orders a worker no longer knows about, and the reverse.
 *
 * @param taskId     defaults to {@code workOrderId}, as in {@link WorkOrder}
 * @param attempt    1-based attempt the worker is running (default 1)
 * @param step       where the run is ({@link RunStep}); optional: workers before the step was added send none
 * @param stepSince  when the run entered {@code step}, on the worker's clock; present exactly when {@code step} is
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CurrentTask(String workOrderId, String taskId, TaskType type, Instant startedAt, Integer attempt,
                          RunStep step, Instant stepSince) {

    public CurrentTask {
        Check.id(workOrderId, "work_order_id");
        taskId = Check.id(taskId == null ? workOrderId : taskId, "task_id");
        Check.required(type, "type");
        Check.required(startedAt, "started_at");
        attempt = Check.positive(attempt == null ? 1 : attempt, "attempt");
        if (step != null && stepSince == null) {
            throw new InvalidMessageException("step_since", "is required when step is set");
        }
        if (step == null && stepSince != null) {
            throw new InvalidMessageException("step", "is required when step_since is set");
        }
    }

    /** A run whose step is not known (a worker before steps, or a test). */
    public CurrentTask(String workOrderId, String taskId, TaskType type, Instant startedAt, Integer attempt) {
        this(workOrderId, taskId, type, startedAt, attempt, null, null);
    }
}
