package io.agentvine.controller.tasks;

import io.agentvine.controller.config.ControllerSettings;
import io.agentvine.model.ModelTier;
import io.agentvine.model.Priority;
import io.agentvine.model.QueueLevel;
import io.agentvine.model.TaskType;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * Routing: priority → queue level and model tier (P0/P1 → high + premium, P2 → default + standard,
 * P3/P4 → low + budget); tier → model per task type from configuration (defaults opus, sonnet,
 * haiku). An explicit model on the task wins and says so.
 */
@Singleton
public class Router {
    /** The decision stored with the task. */
    public record Decision(QueueLevel queue, ModelTier tier, String model, String reason, Double estimatedCostUsd) {
    }

    private final ControllerSettings settings;

    public Router(ControllerSettings settings) {
        this.settings = settings;
    }

    public Decision route(TaskType type, Priority priority, ModelTier requestedTier, String requestedModel) {
        ModelTier tier = requestedTier != null ? requestedTier : priority.tier();
        String tierName = tier.wireName();
        String model;
        String reason;
        if (requestedModel != null) {
            model = requestedModel;
            reason = "model '" + model + "' requested by the task";
        } else {
            Map<String, String> perType = settings.getTypeModels().getOrDefault(type.name(), Map.of());
            model = perType.get(tierName);
            if (model != null) {
                reason = priority + " → " + tierName + " tier; model for " + type + " tasks from agentvine.type-models";
            } else {
                model = settings.getTierModels().getOrDefault(tierName, defaultModel(tier));
                reason = priority + " → " + tierName + " tier" + (requestedTier != null ? " (requested)" : "")
                        + " → " + model;
            }
        }
        Double cost = settings.getEstimatedCostUsd().get(model);
        return new Decision(priority.queueLevel(), tier, model, reason, cost);
    }

    private static String defaultModel(ModelTier tier) {
        return switch (tier) {
            case PREMIUM -> "opus";
            case STANDARD -> "sonnet";
            case BUDGET -> "haiku";
        };
    }
}
