package io.agentvine.controller.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** One entry of the event log; its id is the Server-Sent-Events id clients resume from. */
@MappedEntity("events")
public record EventRow(
        @Id @GeneratedValue @Nullable Long id,
        String type,
        @Nullable String taskId,
        @Nullable String workerId,
        String payload,
        Instant createdAt) {
}
