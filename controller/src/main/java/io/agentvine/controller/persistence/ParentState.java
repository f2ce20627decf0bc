package io.agentvine.controller.persistence;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

/**
 * One dependency of a waiting task and where its parent stands: {@code parentId} null, the task waits for nothing;
 * {@code parentState} null, the parent is gone.
 */
@Introspected
public record ParentState(String taskId, @Nullable String parentId, @Nullable String parentState) {
}
