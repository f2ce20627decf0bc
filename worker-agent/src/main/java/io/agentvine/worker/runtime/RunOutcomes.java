package io.agentvine.worker.runtime;

import io.agentvine.model.FailureReason;
import io.agentvine.worker.agent.output.AgentVerdict;
import io.agentvine.worker.process.AgentOutcome;
import io.agentvine.worker.tasks.ReviewReport;
import io.agentvine.worker.workspace.Workspace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** How a run's phases end, read from what happened: a stop from outside or by the watch, the agent's verdict and exit, a review's report. */
final class RunOutcomes {
    private RunOutcomes() {
    }

    /** A run stopped before its pipeline began: released at shutdown, cancelled, or taken away. */
    static Optional<RunResult> stoppedBeforeStart(ActiveRun run) {
        return ended(run, null, Map.of()).map(r -> r.reason() == FailureReason.WORKER_LOST ? r
                : RunResult.failed(r.reason(), r.message() + " (stopped before it started)", r.result()));
    }

    /** The run was stopped from outside (cancel, lost lease, shutdown) or by its watch (budget, stall). */
    static Optional<RunResult> ended(ActiveRun run, RunWatch watch, Map<String, Object> result) {
        String why = watch == null ? "" : watch.stopMessage().orElse("");
        return Optional.ofNullable(switch (run.stopped()) {
            case CANCELLED -> RunResult.failed(FailureReason.CANCELLED, "cancelled by an operator", result);
            case LOST_LEASE -> RunResult.failed(FailureReason.LOST_LEASE, "the order was recovered from this worker", result);
            case RELEASED -> RunResult.failed(FailureReason.WORKER_LOST, "released: worker shutting down", result);
            case BUDGET_EXCEEDED -> RunResult.failed(FailureReason.BUDGET_EXCEEDED, why, result);
            case STALLED -> RunResult.failed(FailureReason.STALLED, why, result);
            case NEEDS_CLARIFICATION -> RunResult.failed(FailureReason.NEEDS_CLARIFICATION,
                    "the agent's question was not answered in time and the policy is to stop", result);
            case NONE, PARKED -> null; // a parked run is not over: the pipeline saves its work and parks it
        });
    }

    /**
     * The CLI's own verdict first (Claude Code exits 0 after an API error it calls a success; the
     * parser branches on subtype and status), then the exit code; a CLI that reports its outcome but
     * exited without one did not finish.
     */
    static Optional<RunResult> agentOutcome(AgentOutcome outcome, RunWatch watch, boolean reportsOutcome,
                                           Map<String, Object> result) {
        Optional<AgentVerdict> verdict = watch.parser().verdict();
        if (verdict.isPresent() && verdict.get().kind() != AgentVerdict.Kind.SUCCESS) {
            AgentVerdict v = verdict.get();
            String message = v.message() == null ? v.kind().name().toLowerCase(Locale.ROOT) : v.message();
            return Optional.of(switch (v.kind()) {
                case MAX_TURNS -> RunResult.failed(FailureReason.BUDGET_EXCEEDED, "the agent hit its turn limit: " + message, result);
                case BUDGET_EXCEEDED -> RunResult.failed(FailureReason.BUDGET_EXCEEDED, "the agent hit its cost limit: " + message, result);
                case API_ERROR -> RunResult.failed(FailureReason.AGENT_ERROR, "model API error"
                        + (v.apiErrorStatus() == null ? "" : " " + v.apiErrorStatus()) + ": " + message, result);
                default -> RunResult.failed(FailureReason.AGENT_ERROR, "the agent reported an error: " + message, result);
            });
        }
        if (outcome.exitCode() == null || outcome.exitCode() != 0) {
            List<String> tail = watch.stdoutTail();
            return Optional.of(RunResult.failed(FailureReason.AGENT_ERROR, "the agent exited with " + outcome.exitCode()
                    + (tail.isEmpty() ? "" : "; last output: " + tail.get(tail.size() - 1)), result));
        }
        if (reportsOutcome && verdict.isEmpty()) {
            return Optional.of(RunResult.failed(FailureReason.AGENT_ERROR,
                    "the agent exited without its final result message: the run did not finish", result));
        }
        return Optional.empty();
    }

    /** A review reports and changes nothing: its report is the result; a review that edited files fails. */
    static RunResult review(Workspace ws, Path reviewFile, RunWatch watch, Map<String, Object> result) throws IOException {
        List<String> changed = ws.changedFiles();
        result.put("pushed", false);
        if (!changed.isEmpty()) {
            result.put("changed_files", changed);
            return RunResult.failed(FailureReason.AGENT_ERROR, "the review changed " + changed.size() + " file(s) ("
                    + String.join(", ", changed.subList(0, Math.min(5, changed.size()))) + "); a review must change nothing; nothing was pushed",
                    result);
        }
        String report = Files.isRegularFile(reviewFile) ? Files.readString(reviewFile, StandardCharsets.UTF_8) : "";
        if (report.isBlank()) {
            report = watch.parser().verdict().map(AgentVerdict::message).filter(m -> m != null && !m.isBlank())
                    .orElse(String.join("\n", watch.stdoutTail()));
        }
        if (report.isBlank()) {
            return RunResult.failed(FailureReason.AGENT_ERROR, "the review produced no report", result);
        }
        result.put("review", ReviewReport.parse(report).toMap());
        return RunResult.completed(result);
    }

}
