package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * One work order a worker is running, as listed in its {@link Heartbeat}. The controller matches
 * it against the queue's lease to spot orders a worker no longer knows about, and the reverse.
 *
 * @param taskId     defaults to {@code workOrderId}, as in {@link WorkOrder}
 * @param attempt    1-based attempt the worker is running (default 1)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CurrentTask(String workOrderId, String taskId, TaskType type, Instant startedAt, Integer attempt) {

    public CurrentTask {
        Check.id(workOrderId, "work_order_id");
        taskId = Check.id(taskId == null ? workOrderId : taskId, "task_id");
        Check.required(type, "type");
        Check.required(startedAt, "started_at");
        attempt = Check.positive(attempt == null ? 1 : attempt, "attempt");
    }
}
