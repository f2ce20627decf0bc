package io.agentvine.controller.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A task's agent session, kept for a follow-up to resume (V15 {@code agent_sessions}). */
@MappedEntity("agent_sessions")
public record AgentSessionRow(@Id String taskId, String agent, String sessionId, String archive, @Nullable String workerId,
                              Instant createdAt) {
}
