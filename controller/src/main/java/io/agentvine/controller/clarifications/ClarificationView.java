package io.agentvine.controller.clarifications;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A clarification as the API shows it, with its task's title and repository so an operator can decide. */
public record ClarificationView(
        String id,
        String kind,
        String status,
        String taskId,
        String taskTitle,
        String taskType,
        String repositoryUrl,
        String workerId,
        String workOrderId,
        String question,
        List<String> options,
        Map<String, Object> context,
        String diffSummary,
        List<String> changedFiles,
        String conversationId,
        Instant createdAt,
        Instant expiresAt,
        String answer,
        String answeredBy,
        Instant answeredAt) {
}
