package io.agentvine.controller.persistence;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

/** The few columns a heartbeat needs to read (ownership, liveness, pending command, health). */
@Introspected
public record WorkerAccess(String ownerKey, @Nullable Instant deregisteredAt, String command, String health) {
}
