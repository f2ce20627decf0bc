package io.agentvine.controller.domain;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Tasks whose order a loop found missing from Redis while the database says it waits there (queued, parked). Either
 * the order was lost (a pass that took it out died before its commit, Redis lost it) — or a worker ran and
 * acknowledged it and its reports are not applied yet: acting then (holding it, enqueueing it again) would run the task
 * a second time. {@link #settled} says when the first is certain: once the reports the workers had written when the
 * order was first found missing are applied. One per loop; thread-safe.
 */
public final class MissingOrders {
    private final Supplier<WorkerReports> reports;
    /** Task id → the last report written when its order was first found missing. */
    private final Map<String, String> marks = new ConcurrentHashMap<>();

    /** @param reports the workers' reports, asked for when first needed (their consumer may depend on the caller) */
    public MissingOrders(Supplier<WorkerReports> reports) {
        this.reports = reports;
    }

    /** {@code taskId}'s order is missing now: true when it is lost for certain, false while the reports are behind. */
    public boolean settled(String taskId) {
        String mark = marks.computeIfAbsent(taskId, id -> reports.get().lastWritten());
        if (!reports.get().appliedThrough(mark)) {
            return false;
        }
        marks.remove(taskId);
        return true;
    }

    /** {@code taskId}'s order was found after all. */
    public void found(String taskId) {
        marks.remove(taskId);
    }

    /** Forgets every task but {@code still} (the others run, ended or are no longer the loop's). */
    public void keepOnly(Collection<String> still) {
        marks.keySet().retainAll(still);
    }
}
