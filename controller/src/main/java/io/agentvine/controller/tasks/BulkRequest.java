package io.agentvine.controller.tasks;

import java.util.List;

/**
 * The body of POST /api/v1/tasks/bulk/cancel and /bulk/retry: either {@code ids} (a selection, at most
 * {@link TaskBulkActions#MAX_IDS}) or {@code filter} (what GET /api/v1/tasks takes: state, type,
 * repository, q); with {@code dryRun} only the count is answered.
 */
public record BulkRequest(List<String> ids, Filter filter, Boolean dryRun) {
    /** The task list's filters; a missing one matches everything. */
    public record Filter(String state, String type, String repository, String q) {
    }
}
