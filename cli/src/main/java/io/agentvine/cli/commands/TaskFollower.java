package io.agentvine.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentvine.cli.ApiClient;
import io.agentvine.cli.ExitCodes;
import io.agentvine.cli.Printer;
import java.time.Duration;
import java.util.Set;

/**
 * Follows one task by polling {@code GET /api/v1/tasks/{id}} until it ends or waits for a human:
 * each state change on stderr, the final task on stdout. The exit code: 0 completed, 5 failed, dead
 * or cancelled, 6 when it waits for an answer or an approval.
 */
final class TaskFollower {
    private static final Set<String> FAILED = Set.of("failed", "dead", "cancelled");

    private final ApiClient api;
    private final Printer printer;
    private final Duration interval;
    private String lastState;

    TaskFollower(ApiClient api, Printer printer, Duration interval) {
        this.api = api;
        this.printer = printer;
        this.interval = interval;
    }

    /** Polls until the task's outcome is known; returns its exit code ({@code exitStatus} false: 0 unless waiting). */
    int follow(String id, boolean exitStatus) throws InterruptedException {
        while (true) {
            Integer code = runOnce(id, exitStatus);
            if (code != null) {
                return code;
            }
            Thread.sleep(interval.toMillis());
        }
    }

    /** One look at the task: its exit code when it is over (or waits for a human), else null. */
    Integer runOnce(String id, boolean exitStatus) {
        JsonNode task = api.get(TaskCommand.path(id));
        String state = task.path("state").asText();
        if (!state.equals(lastState)) {
            printer.message("task " + id + ": " + state);
            lastState = state;
        }
        if (state.equals("completed") || FAILED.contains(state)) {
            printer.object(task);
            if (FAILED.contains(state)) {
                printer.message("task " + id + " " + state + (task.hasNonNull("error") ? ": " + task.get("error").asText() : ""));
                return exitStatus ? ExitCodes.TASK_FAILED : ExitCodes.OK;
            }
            return ExitCodes.OK;
        }
        JsonNode pending = api.get(ApiClient.query("/api/v1/clarifications", ApiClient.params("status", "pending", "task_id", id)));
        if (state.equals("awaiting_approval") || pending.size() > 0) {
            printer.object(task);
            pending.forEach(c -> printer.message("waiting for a human: " + c.path("kind").asText() + " " + c.path("id").asText()
                    + ": " + c.path("question").asText() + "  (vine ask answer " + c.path("id").asText() + " / vine approve|reject)"));
            if (pending.isEmpty()) {
                printer.message("waiting for a human: task " + id + " awaits approval");
            }
            return ExitCodes.WAITING_FOR_HUMAN;
        }
        return null;
    }
}
