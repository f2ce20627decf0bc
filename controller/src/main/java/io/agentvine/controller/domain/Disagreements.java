package io.agentvine.controller.domain;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Tasks on which Redis and the database disagree: an order missing from Redis while the database says it waits there
 * (queued, parked), or an order parked in Redis while the database says it runs. Either something was lost (a pass
 * that took the order out died before its commit, Redis lost it, a worker's report never arrived) — or the workers'
 * reports that explain it are not applied yet: acting then (holding it, enqueueing it again) could run the task a
 * second time. {@link #settled} says when the first is certain: once the reports the workers had written when the
 * disagreement was first seen are applied. One per loop; thread-safe.
 */
public final class Disagreements {
    private final Supplier<WorkerReports> reports;
    /** Task id → the last report written when the disagreement was first seen. */
    private final Map<String, String> marks = new ConcurrentHashMap<>();

    /** @param reports the workers' reports, asked for when first needed (their consumer may depend on the caller) */
    public Disagreements(Supplier<WorkerReports> reports) {
        this.reports = reports;
    }

    /** Redis and the database disagree on {@code taskId} now: true when no report can explain it, false while they are behind. */
    public boolean settled(String taskId) {
        String mark = marks.computeIfAbsent(taskId, id -> reports.get().lastWritten());
        if (!reports.get().appliedThrough(mark)) {
            return false;
        }
        marks.remove(taskId);
        return true;
    }

    /** They agree on {@code taskId} after all. */
    public void agreed(String taskId) {
        marks.remove(taskId);
    }

    /** Forgets every task but {@code still} (the others run, ended or are no longer the loop's). */
    public void keepOnly(Collection<String> still) {
        marks.keySet().retainAll(still);
    }
}
