package io.agentvine.controller.ui.model;

import java.util.List;

/**
 * The bulk dialog's content: first the count (a dry run: {@code done} false, with the choice carried
 * along in {@code ids} or the filter to confirm it), then what happened ({@code done} true).
 *
 * @param action      cancel or retry
 * @param byFilter    whether it acts on everything the filter matches (else on {@code ids})
 * @param skipped     per skipped task: its id and why (after the action)
 */
public record BulkPreview(String action, boolean byFilter, List<String> ids, TasksPage.Filters filter, int matched,
                          int eligible, boolean done, int changed, int cancelRequested, List<Skipped> skipped,
                          String error) {
    public record Skipped(String id, String reason) {
    }

    public String verb() {
        return "cancel".equals(action) ? "Cancel" : "Retry";
    }
}
