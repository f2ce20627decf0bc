package io.agentvine.controller.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * A task's place in a chain (V14 {@code task_chains}): the chain's first task, the task whose work branch
 * it continues, its pipeline step's name. The first task's row carries the chain's limits.
 */
@MappedEntity("task_chains")
public record TaskChainRow(
        @Id String taskId,
        String chainId,
        @Nullable String continuesTaskId,
        @Nullable String step,
        @Nullable Integer maxFollowUps,
        @Nullable Double maxCostUsd,
        Instant createdAt) {
}
