package io.agentvine.controller.workers;

import io.agentvine.model.WorkerMetrics;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A worker as GET /api/v1/workers shows it; each of its current tasks with what a worker card shows, so a
 * dashboard needs no second query.
 */
public record WorkerView(
        String id,
        String name,
        List<String> workerTypes,
        String version,
        int maxConcurrentTasks,
        List<String> specializations,
        List<String> tools,
        Map<String, Object> metadata,
        String status,
        String health,
        String pendingCommand,
        List<RunningTask> currentTasks,
        WorkerMetrics metrics,
        long completedCount,
        long failedCount,
        Instant registeredAt,
        Instant lastHeartbeatAt,
        Instant deregisteredAt) {

    /**
     * A task the worker runs: what its heartbeat said (order, type, attempt, when this attempt started) with
     * the task's title and repository, and its step (the later of the heartbeat's and the stored one).
     *
     * @param title      null when the controller does not know the task (removed meanwhile)
     * @param repository the task's repository URL
     * @param step       a {@code RunStep} wire name; null before the worker reported one
     */
    public record RunningTask(String workOrderId, String taskId, String type, int attempt, Instant startedAt,
                              String title, String repository, String step, Instant stepSince) {
    }
}
