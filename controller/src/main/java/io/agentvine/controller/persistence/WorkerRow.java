package io.agentvine.controller.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A registered worker. JSON-valued columns hold the contract's JSON as text (portable across H2 and PostgreSQL). */
@MappedEntity("workers")
public record WorkerRow(
        @Id String id,
        String name,
        String workerTypes,
        String version,
        int maxConcurrentTasks,
        String specializations,
        String tools,
        String metadata,
        String status,
        String health,
        String command,
        String currentTasks,
        @Nullable String metrics,
        long completedCount,
        long failedCount,
        Instant registeredAt,
        Instant lastHeartbeatAt,
        @Nullable Instant deregisteredAt,
        String ownerKey) {

    public WorkerRow withCommand(String newCommand) {
        return new WorkerRow(id, name, workerTypes, version, maxConcurrentTasks, specializations, tools, metadata,
                status, health, newCommand, currentTasks, metrics, completedCount, failedCount, registeredAt,
                lastHeartbeatAt, deregisteredAt, ownerKey);
    }

    public WorkerRow withHealth(String newHealth) {
        return new WorkerRow(id, name, workerTypes, version, maxConcurrentTasks, specializations, tools, metadata,
                status, newHealth, command, currentTasks, metrics, completedCount, failedCount, registeredAt,
                lastHeartbeatAt, deregisteredAt, ownerKey);
    }

    public WorkerRow deregistered(Instant at) {
        return new WorkerRow(id, name, workerTypes, version, maxConcurrentTasks, specializations, tools, metadata,
                "offline", "offline", command, "[]", metrics, completedCount, failedCount, registeredAt,
                lastHeartbeatAt, at, ownerKey);
    }
}
