package io.agentvine.controller.tasks;

import io.agentvine.model.Budget;
import java.util.List;
import java.util.Map;

/**
 * The body of POST /api/v1/tasks. Enum-valued fields are strings so that a bad value gets a clear message.
 *
 * @param dependsOn        tasks that must all complete first: the task waits (state waiting, outside the
 *                         queue) until then, and is cancelled when one of them fails, is dead-lettered or cancelled
 * @param pipeline         steps run one after another on one work branch (each on the previous step's branch);
 *                         the other fields are the steps' defaults, {@code type} and {@code instructions} optional
 * @param maxFollowUps     how many follow-ups the chain this task starts may have (default agentvine.chains.max-follow-ups)
 * @param chainMaxCostUsd  what the whole chain may spend, USD (default agentvine.chains.max-cost-usd)
 */
public record TaskRequest(
        String type,
        String repositoryUrl,
        String branch,
        String title,
        String instructions,
        String priority,
        String permissionLevel,
        String testCommand,
        String modelTier,
        String model,
        Budget budget,
        String idempotencyKey,
        Integer maxAttempts,
        Map<String, Object> metadata,
        List<String> dependsOn,
        List<PipelineStep> pipeline,
        Integer maxFollowUps,
        Double chainMaxCostUsd) {

    /** A task on its own: no parents, no pipeline, the chain limits by default. */
    public TaskRequest(String type, String repositoryUrl, String branch, String title, String instructions, String priority,
                       String permissionLevel, String testCommand, String modelTier, String model, Budget budget,
                       String idempotencyKey, Integer maxAttempts, Map<String, Object> metadata) {
        this(type, repositoryUrl, branch, title, instructions, priority, permissionLevel, testCommand, modelTier, model, budget,
                idempotencyKey, maxAttempts, metadata, null, null, null, null);
    }

    /**
     * One step of a {@code pipeline}: its fields override the request's. {@code dependsOn} names earlier steps
     * (default: the step before); the step continues the work branch of the first step it depends on.
     */
    public record PipelineStep(
            String name,
            String type,
            String title,
            String instructions,
            String priority,
            String permissionLevel,
            String testCommand,
            String modelTier,
            String model,
            Budget budget,
            Integer maxAttempts,
            Map<String, Object> metadata,
            List<String> dependsOn) {
    }
}
