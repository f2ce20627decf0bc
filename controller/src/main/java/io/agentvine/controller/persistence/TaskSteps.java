package io.agentvine.controller.persistence;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one spelling of a running task's step as the controller stores and announces it, shared by the
 * two paths that bring it (the worker's {@code step_changed} events and its heartbeats): the
 * {@code task_step} event and its payload, and the stored time (microseconds, what both databases
 * keep, so that the same step reported twice compares equal and is announced once).
 */
public final class TaskSteps {
    /** The event-log type written on each change of a running task's step. */
    public static final String EVENT = "task_step";

    private TaskSteps() {
    }

    /** {@code since} as the database keeps it. */
    public static Instant stored(Instant since) {
        return since.truncatedTo(ChronoUnit.MICROS);
    }

    public static Map<String, Object> payload(String taskId, String workerId, int attempt, String step, Instant since) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("task_id", taskId);
        p.put("worker_id", workerId);
        p.put("attempt", attempt);
        p.put("step", step);
        p.put("step_since", since.toString());
        return p;
    }
}
