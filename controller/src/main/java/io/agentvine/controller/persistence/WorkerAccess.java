package io.agentvine.controller.persistence;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

/** The few columns a heartbeat needs to read (ownership, liveness, pending command, health, last applied status). */
@Introspected
public record WorkerAccess(String ownerKey, @Nullable Instant deregisteredAt, String command, String health, String status) {
    public WorkerAccess withCommand(String newCommand) {
        return new WorkerAccess(ownerKey, deregisteredAt, newCommand, health, status);
    }

    public WorkerAccess withStatus(String newStatus) {
        return new WorkerAccess(ownerKey, deregisteredAt, command, health, newStatus);
    }
}
