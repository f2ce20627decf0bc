package io.agentvine.queue;

import io.agentvine.model.QueueLevel;
import io.agentvine.model.TaskType;

/**
 * One consistent snapshot of a worker type's queue. {@code paused}: the operator's pause;
 * {@code budgetPaused}: a budget cap reached (the controller's); claims wait while either holds.
 */
public record QueueStats(TaskType type, long high, long normal, long low, long inFlight, long delayed, long dead,
                         boolean paused, boolean budgetPaused) {
    public long depth(QueueLevel level) {
        return switch (level) {
            case HIGH -> high;
            case DEFAULT -> normal;
            case LOW -> low;
        };
    }

    public long queued() {
        return high + normal + low;
    }
}
