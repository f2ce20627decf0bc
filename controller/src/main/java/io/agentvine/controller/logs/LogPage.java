package io.agentvine.controller.logs;

import java.util.List;

/**
 * A page of an attempt's live log ({@code GET /api/v1/tasks/{id}/log}).
 *
 * @param next     the entry id to ask for the page after this one ({@code after}); null while the log is empty
 * @param finished the attempt ended and this page reaches the end of its log: nothing will follow
 */
public record LogPage(String taskId, int attempt, List<LogLine> lines, String next, boolean finished) {
    public LogPage {
        lines = List.copyOf(lines);
    }
}
