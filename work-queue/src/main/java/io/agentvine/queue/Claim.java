package io.agentvine.queue;

import io.agentvine.model.TaskType;
import io.agentvine.model.WorkOrder;
import java.time.Instant;

/**
 * A worker's hold on one work order. The fencing {@code token} changes with every claim of the order:
 * once the order was recovered from this holder, every ack, fail, release or extend it sends with the
 * old token is rejected.
 */
public record Claim(TaskType type, String workerId, WorkOrder order, long token, Instant leaseUntil, int stalls) {
    public String id() {
        return order.id();
    }

    public int attempt() {
        return order.attempt();
    }
}
