package io.agentvine.controller.persistence;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A lifecycle event already applied (its id makes redelivery harmless). */
@MappedEntity("lifecycle_events")
public record LifecycleEventRow(@Id String eventId, String type, String taskId, String workerId, int attempt, Instant at,
                                String payload) {
}
