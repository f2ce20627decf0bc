package io.agentvine.controller.workers;

import io.agentvine.model.CurrentTask;
import io.agentvine.model.WorkerMetrics;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A worker as GET /api/v1/workers shows it. */
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
        List<CurrentTask> currentTasks,
        WorkerMetrics metrics,
        long completedCount,
        long failedCount,
        Instant registeredAt,
        Instant lastHeartbeatAt,
        Instant deregisteredAt) {
}
