package io.agentvine.controller.tasks;

import io.agentvine.model.Check;

/** The body of PATCH /api/v1/tasks/{id}: only the priority of a queued task can change. */
public record TaskPatch(String priority) {
    public TaskPatch {
        Check.required(priority, "priority");
    }
}
