package io.agentvine.controller.persistence;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

/**
 * The few columns of a task that a worker card or a queue listing shows next to what Redis and the
 * heartbeat say (a projection: no order JSON, no result). Read for many tasks in one query
 * ({@link TaskRepository#findByIdIn}).
 */
@Introspected
public record TaskSummary(String id, String title, String repositoryUrl, @Nullable String step,
                          @Nullable Instant stepSince) {
}
