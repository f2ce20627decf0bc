package io.agentvine.controller.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * A clarification request as stored; {@code options}, {@code context} and {@code changedFiles} are
 * JSON, {@code request} is the request as the worker sent it (contract JSON).
 */
@MappedEntity("clarifications")
public record ClarificationRow(
        @Id String id,
        String kind,
        String status,
        String workerId,
        String workOrderId,
        String taskId,
        @Nullable String taskType,
        String question,
        String options,
        String context,
        @Nullable String diffSummary,
        String changedFiles,
        String conversationId,
        Instant createdAt,
        Instant expiresAt,
        @Nullable String answer,
        @Nullable String answeredBy,
        @Nullable Instant answeredAt,
        String request) {

    public boolean pending() {
        return "pending".equals(status);
    }

    public ClarificationRow decided(String newStatus, @Nullable String newAnswer, @Nullable String by, @Nullable Instant at) {
        return new ClarificationRow(id, kind, newStatus, workerId, workOrderId, taskId, taskType, question, options, context,
                diffSummary, changedFiles, conversationId, createdAt, expiresAt, newAnswer, by, at, request);
    }
}
