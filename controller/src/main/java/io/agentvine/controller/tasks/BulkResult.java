package io.agentvine.controller.tasks;

import java.util.List;

/**
 * What a bulk cancel or retry did, or (dry run) would do.
 *
 * @param matched   how many tasks the selection or filter names
 * @param eligible  how many of them the action applies to now (their state allows it)
 * @param changed   how many were cancelled or retried (0 on a dry run); a running task's cancel is a request its
 *                  worker carries out, counted here and in {@code cancelRequested}
 * @param skipped   per task left as it was, why (not found, already final, not failed…); empty on a dry run
 */
public record BulkResult(String action, boolean dryRun, int matched, int eligible, int changed, int cancelRequested,
                         List<Skipped> skipped) {
    public record Skipped(String id, String state, String reason) {
    }
}
