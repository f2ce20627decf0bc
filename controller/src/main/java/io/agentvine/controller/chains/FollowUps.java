package io.agentvine.controller.chains;

import io.agentvine.controller.domain.ConflictException;
import io.agentvine.controller.domain.NotFoundException;
import io.agentvine.controller.persistence.TaskChainRepository;
import io.agentvine.controller.persistence.TaskChainRow;
import io.agentvine.controller.persistence.TaskRepository;
import io.agentvine.controller.persistence.TaskRow;
import io.agentvine.controller.tasks.FollowUpRequest;
import io.agentvine.controller.tasks.TaskCreated;
import io.agentvine.controller.tasks.TaskLinks;
import io.agentvine.controller.tasks.TaskRequest;
import io.agentvine.controller.tasks.TaskRequestRules;
import io.agentvine.controller.tasks.TaskSubmission;
import io.agentvine.controller.tasks.TaskSubmission.Planned;
import io.agentvine.model.Budget;
import io.agentvine.model.Check;
import io.agentvine.model.InvalidMessageException;
import io.agentvine.model.Json;
import io.agentvine.model.WorkOrder;
import io.agentvine.model.WorkOrderState;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code POST /api/v1/tasks/{id}/follow-ups}: a task that continues another's work branch (the same pull
 * request when it has one). A follow-up of a task that has not ended yet waits for it; one of a task that
 * failed, was dead-lettered or cancelled is refused (retry it first). A chain — the first task and every
 * follow-up or step made from it — is bounded: at most {@code max_follow_ups} follow-ups, and no new one once
 * its tasks have spent its {@code max_cost_usd}; a follow-up's own cost budget is at most what is left.
 */
@Singleton
public class FollowUps {
    private final TaskRepository tasks;
    private final TaskChainRepository chains;
    private final TaskSubmission submission;
    private final TaskRequestRules rules;
    private final ChainSettings settings;

    public FollowUps(TaskRepository tasks, TaskChainRepository chains, TaskSubmission submission, TaskRequestRules rules,
                     ChainSettings settings) {
        this.tasks = tasks;
        this.chains = chains;
        this.submission = submission;
        this.rules = rules;
        this.settings = settings;
    }

    public TaskCreated create(String parentId, FollowUpRequest req) {
        Check.id(parentId, "id");
        if (req == null) {
            throw new InvalidMessageException("body", "is empty");
        }
        Check.requiredText(req.instructions(), "instructions", WorkOrder.MAX_INSTRUCTIONS_LENGTH);
        TaskRow parent = tasks.findById(parentId).orElseThrow(() -> new NotFoundException("task", parentId));
        WorkOrderState s = parent.state();
        if (s == WorkOrderState.FAILED || s == WorkOrderState.DEAD || s == WorkOrderState.CANCELLED) {
            throw new ConflictException("task " + parentId + " is " + s.wireName()
                    + "; a follow-up continues a task that completed or may still complete (retry it first)");
        }
        String chainId = chains.findById(parentId).map(TaskChainRow::chainId).orElse(parentId);
        TaskChainRow first = chains.findById(chainId).orElse(null);
        List<TaskChainRow> members = chains.findByChainIdOrderByCreatedAt(chainId);
        // checked where the follow-up is stored, under the first task's row lock (TaskStore.insertAll)
        int maxFollowUps = first != null && first.maxFollowUps() != null ? first.maxFollowUps() : settings.getMaxFollowUps();
        double maxCost = first != null && first.maxCostUsd() != null ? first.maxCostUsd() : settings.getMaxCostUsd();
        double spent = members.isEmpty() ? parent.costUsd() : chains.chainCost(chainId);
        double left = maxCost - spent;
        if (left <= 0) {
            throw new ConflictException(String.format(Locale.ROOT, "the chain of %s has spent $%.2f of its $%.2f (max_cost_usd); "
                    + "no follow-up is taken", chainId, spent, maxCost));
        }
        WorkOrder parentOrder = Json.read(parent.workOrder(), WorkOrder.class);
        Budget asked = req.budget() != null ? req.budget() : parentOrder.budget();
        Double cost = asked.maxCostUsd() == null ? left : Math.min(asked.maxCostUsd(), left);
        Budget budget = new Budget(asked.maxTurns(), cost, asked.timeoutSeconds());
        String title = req.title() != null ? req.title() : shorten("Follow-up: " + parent.title(), WorkOrder.MAX_TITLE_LENGTH);
        TaskRequest task = new TaskRequest(req.type() != null ? req.type() : parent.type(), parent.repositoryUrl(), parent.branch(),
                title, req.instructions(), req.priority() != null ? req.priority() : parent.priority(), parent.permissionLevel(),
                req.testCommand() != null ? req.testCommand() : parentOrder.testCommand(), req.modelTier(),
                req.model(), budget, req.idempotencyKey(), req.maxAttempts(),
                req.metadata() != null ? req.metadata() : parentOrder.metadata(), null, null, null, null);
        rules.check(task);
        List<String> waitFor = s == WorkOrderState.COMPLETED ? List.of() : List.of(parentId);
        Planned p = submission.plan(task, new TaskLinks(waitFor, parentId, chainId, null, maxFollowUps), "", Set.of());
        if (p.existing() != null) {
            return submission.created(p);
        }
        try {
            submission.submit(List.of(p), task);
        } catch (TaskSubmission.DuplicateSubmission raced) {
            return submission.existing(raced.winner()); // the same follow-up sent twice at once: the other one was stored
        }
        return submission.created(p);
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
