package io.agentvine.controller.ui;

import io.agentvine.controller.clarifications.ClarificationService;
import io.agentvine.controller.clarifications.ClarificationView;
import io.agentvine.controller.domain.TaskEvent;
import io.agentvine.controller.domain.TaskStateMachine;
import io.agentvine.controller.tasks.TaskService;
import io.agentvine.controller.tasks.TaskView;
import io.agentvine.controller.ui.model.TaskDetailPage;
import io.agentvine.controller.ui.model.TaskDetailPage.Attempt;
import io.agentvine.controller.ui.model.TaskDetailPage.Clarification;
import io.agentvine.controller.ui.model.TaskDetailPage.Delivery;
import io.agentvine.controller.ui.model.TaskDetailPage.Summary;
import io.agentvine.controller.ui.model.TaskDetailPage.Tests;
import io.agentvine.model.Priority;
import io.agentvine.model.TokenUsage;
import io.agentvine.model.WorkOrderState;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the Task page from the task (with its attempts: {@link TaskService#get}) and its
 * clarifications. The tests and the delivery come from the latest attempt that reported them (a failed
 * run's result carries the tests' output tail too).
 */
@Singleton
public class TaskDetailView {
    private final TaskService tasks;
    private final ClarificationService clarifications;
    private final Clock clock;

    public TaskDetailView(TaskService tasks, ClarificationService clarifications, Clock clock) {
        this.tasks = tasks;
        this.clarifications = clarifications;
        this.clock = clock;
    }

    public TaskDetailPage build(String id, boolean admin) {
        TaskView t = tasks.get(id);
        Instant now = clock.instant();
        WorkOrderState state = WorkOrderState.fromWire(t.state());
        List<TaskView.AttemptView> history = t.attemptHistory() == null ? List.of() : t.attemptHistory();
        List<Attempt> attempts = new ArrayList<>();
        for (TaskView.AttemptView a : history) {
            boolean running = a.endedAt() == null && state == WorkOrderState.RUNNING;
            attempts.add(new Attempt(a.attempt(), a.workerId(), a.model(), time(a.startedAt()), time(a.endedAt()),
                    a.startedAt() == null ? "" : Formats.duration(Duration.between(a.startedAt(), a.endedAt() == null ? now : a.endedAt())),
                    a.outcome() == null ? (running ? "running" : "") : Formats.words(a.outcome()), a.reason(),
                    tokens(a.tokenUsage()), cost(a.costUsd()), running));
        }
        Map<String, Object> result = latestResult(t, history);
        String elapsed = t.startedAt() == null ? "" : Formats.duration(Duration.between(t.startedAt(),
                t.finishedAt() == null ? now : t.finishedAt()));
        Summary summary = new Summary(t.id(), t.title(), t.type(), t.state(), t.priority(), t.queue(), t.repositoryUrl(),
                t.branch(), Formats.words(t.permissionLevel()), t.model(), t.modelTier(), t.routingReason(),
                t.estimatedCostUsd() == null ? null : cost(t.estimatedCostUsd()), t.workerId(),
                t.step() == null ? null : Formats.words(t.step()), Formats.since(t.stepSince(), now), t.error(),
                time(t.createdAt()), time(t.startedAt()), time(t.finishedAt()), elapsed, tokens(t.tokenUsage()), cost(t.costUsd()));
        List<ClarificationView> thread = clarifications.list(null, t.id());
        List<Clarification> questions = thread.stream().map(c -> new Clarification(c.id(), c.kind(), c.status(), c.question(),
                c.options() == null ? List.of() : c.options(), c.diffSummary(), time(c.createdAt()), c.answer(), c.answeredBy(),
                time(c.answeredAt()), "pending".equals(c.status()))).toList();
        String diffSummary = thread.stream().map(ClarificationView::diffSummary).filter(d -> d != null && !d.isBlank())
                .reduce((a, b) -> b).orElse(null);
        int latest = history.isEmpty() ? Math.max(t.attempts(), 0) : history.get(history.size() - 1).attempt();
        return new TaskDetailPage(summary, attempts, delivery(result, diffSummary), tests(result), questions, admin,
                admin && !state.isFinal(), admin && TaskStateMachine.next(state, TaskEvent.RETRIED).isPresent(),
                admin && (state == WorkOrderState.QUEUED || state == WorkOrderState.DELAYED),
                Arrays.stream(Priority.values()).map(Priority::name).toList(), latest, state == WorkOrderState.RUNNING
                        || state == WorkOrderState.AWAITING_APPROVAL,
                t.dependsOn() == null ? List.of() : t.dependsOn(),
                t.chain() == null ? List.of() : t.chain().stream().map(c -> new TaskDetailPage.ChainTask(c.id(), c.title(), c.type(),
                        c.state(), c.step(), c.continues(), cost(c.costUsd()), c.id().equals(t.id()))).toList());
    }

    /** The task's result when it has one, else the latest attempt's that reported one. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> latestResult(TaskView t, List<TaskView.AttemptView> history) {
        if (t.result() instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).result() instanceof Map<?, ?> m) {
                return (Map<String, Object>) m;
            }
        }
        return Map.of();
    }

    @SuppressWarnings("unchecked")
    private static Tests tests(Map<String, Object> result) {
        if (!(result.get("tests") instanceof Map<?, ?> raw)) {
            return null;
        }
        Map<String, Object> m = (Map<String, Object>) raw;
        boolean ran = Boolean.TRUE.equals(m.get("ran"));
        Object duration = m.get("duration_ms");
        return new Tests(ran, text(m.get("command")), m.get("passed") instanceof Boolean b ? b : null, text(m.get("exit_code")),
                Boolean.TRUE.equals(m.get("timed_out")),
                duration instanceof Number n ? Formats.duration(Duration.ofMillis(n.longValue())) : null,
                text(m.get("output_tail")), text(m.get("reason")));
    }

    private static Delivery delivery(Map<String, Object> result, String diffSummary) {
        List<String> changed = new ArrayList<>();
        if (result.get("changed_files") instanceof List<?> files) {
            files.forEach(f -> changed.add(String.valueOf(f)));
        }
        return new Delivery(text(result.get("commit")), text(result.get("branch")), text(result.get("base_branch")),
                text(result.get("pr_url")), text(result.get("pr_number")),
                result.get("pushed") instanceof Boolean b ? b : null, changed, diffSummary, text(result.get("notice")));
    }

    private static String text(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    private static String time(Instant i) {
        return i == null ? "" : i.toString().replace('T', ' ').replaceFirst("\\.\\d+Z$", "Z");
    }

    private static String tokens(TokenUsage u) {
        if (u == null) {
            return "";
        }
        return String.format(Locale.ROOT, "%,d in · %,d out", u.inputTokens(), u.outputTokens())
                + (u.cacheReadTokens() > 0 ? String.format(Locale.ROOT, " · %,d cached", u.cacheReadTokens()) : "");
    }

    private static String cost(double usd) {
        return String.format(Locale.ROOT, "$%.4f", usd);
    }
}
