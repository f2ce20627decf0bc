package io.agentvine.controller.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A task's latest parked run (V17 {@code parked_runs}): {@code parked} is the worker's {@code ParkedRun} as JSON. */
@MappedEntity("parked_runs")
public record ParkedRunRow(@Id String taskId, String requestId, String kind, String parked, @Nullable String workerId,
                           Instant parkedAt) {
}
