package io.agentvine.worker.runtime;

import io.agentvine.model.ClarificationKind;
import io.agentvine.model.ClarificationStatus;
import io.agentvine.model.FailureReason;
import io.agentvine.model.ParkedRun;
import io.agentvine.model.PermissionLevel;
import io.agentvine.model.RunStep;
import io.agentvine.model.WorkOrder;
import io.agentvine.worker.clarify.Approvals;
import io.agentvine.worker.config.WorkerConfig;
import io.agentvine.worker.delivery.PullRequests;
import io.agentvine.worker.workspace.Workspace;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.PersonIdent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's last step: commits and delivers the work branch (never the base branch) by the order's
 * permission level — autonomous: push; supervised: push and open a pull request, its URL in the
 * result; human_required: commit, ask for approval with the diff, and push only once approved.
 */
final class Delivery {
    private static final Logger log = LoggerFactory.getLogger(Delivery.class);
    static final int MAX_DIFF_SUMMARY = 60 * 1024;

    private final WorkerConfig config;
    private final PullRequests pullRequests;
    private final Approvals approvals;
    private final NetworkSteps network;
    private final Parking parking;
    private final Clock clock;

    Delivery(WorkerConfig config, PullRequests pullRequests, Approvals approvals, NetworkSteps network, Parking parking, Clock clock) {
        this.parking = parking;
        this.config = config;
        this.pullRequests = pullRequests;
        this.approvals = approvals;
        this.network = network;
        this.clock = clock;
    }

    /** Commits; delivers by permission level; the result says what was pushed and where. */
    RunResult deliver(RunScope scope, Workspace ws, Map<String, Object> result) {
        ActiveRun run = scope.run();
        WorkOrder order = run.claim.order();
        scope.events().step(run, RunStep.COMMITTING);
        List<String> changed = ws.changedFiles();
        PersonIdent who = new PersonIdent(config.gitAuthorName(), config.gitAuthorEmail(), clock.instant(), ZoneOffset.UTC);
        Optional<String> sha = ws.commit(order.title() + "\n\nAgentVine task " + order.taskId() + " (" + order.type() + ")", who, who);
        result.put("branch", ws.workBranch());
        result.put("base_branch", ws.baseBranch());
        result.put("changed_files", changed);
        if (sha.isEmpty()) {
            result.put("no_changes", true);
            result.put("pushed", false);
            return RunResult.completed(result);
        }
        result.put("commit", sha.get());
        if (order.permissionLevel() == PermissionLevel.HUMAN_REQUIRED) {
            Optional<RunResult> notApproved = approve(scope, ws, changed, result);
            if (notApproved.isPresent()) {
                return notApproved.get();
            }
        }
        return push(scope, ws, result);
    }

    private RunResult push(RunScope scope, Workspace ws, Map<String, Object> result) {
        scope.events().step(scope.run(), RunStep.PUSHING);
        network.run("the push", scope.run(), scope.deadline(), ws::push, pushed -> { });
        result.put("pushed", true);
        if (scope.run().claim.order().permissionLevel() == PermissionLevel.SUPERVISED) {
            return pullRequest(scope, ws, result);
        }
        return RunResult.completed(result);
    }

    /**
     * Delivers a change whose run parked waiting for its approval, now decided: the saved commit (put back in
     * {@code ws}) is pushed when approved; nothing is pushed when rejected or expired.
     */
    RunResult decided(RunScope scope, Workspace ws, ParkedRun parked, Map<String, Object> result) {
        result.put("branch", ws.workBranch());
        result.put("base_branch", ws.baseBranch());
        result.put("changed_files", ws.changedFiles());
        result.put("commit", parked.commit());
        ClarificationStatus d = parked.decision() == null ? ClarificationStatus.EXPIRED : parked.decision();
        result.put("approval", switch (d) {
            case APPROVED -> "approved";
            case REJECTED -> "rejected";
            default -> "expired";
        });
        if (parked.answer() != null) {
            result.put("approval_comment", parked.answer());
        }
        String by = parked.answeredBy() == null ? "" : " by " + parked.answeredBy();
        return switch (d) {
            case APPROVED -> push(scope, ws, result);
            case REJECTED -> {
                result.put("pushed", false);
                yield RunResult.failed(FailureReason.REJECTED, "the change was rejected" + by
                        + (parked.answer() == null ? "" : ": " + parked.answer()) + "; nothing was pushed", result);
            }
            default -> {
                result.put("pushed", false);
                yield RunResult.failed(FailureReason.NEEDS_CLARIFICATION, "no approval (" + (parked.answer() == null ? d.wireName()
                        : parked.answer()) + "); nothing was pushed", result);
            }
        };
    }

    private Optional<RunResult> approve(RunScope scope, Workspace ws, List<String> changed, Map<String, Object> result) {
        ActiveRun run = scope.run();
        WorkOrder order = run.claim.order();
        String diff = ws.diffSummary(MAX_DIFF_SUMMARY);
        Instant now = clock.instant();
        Instant expires = now.plus(config.agentSettings().approvalTimeout());
        Instant parkAt = parking.parkAfter(order).map(now::plus).orElse(null);
        scope.events().step(run, RunStep.WAITING_FOR_APPROVAL);
        scope.events().awaitingApproval(run, diff, changed, expires);
        Approvals.Answer answer = approvals.await(new Approvals.Request(order, scope.workerId(), run.claim.id(), run.claim.attempt(), diff,
                changed, expires, parkAt), () -> run.stopped() != ActiveRun.Stop.NONE || !clock.instant().isBefore(scope.deadline()));
        if (answer.decision() == Approvals.Decision.PARKED) {
            scope.events().progress(run, "nobody decided yet: the run parks until the approval (" + answer.parkedOn().id() + ")");
            return Optional.of(parking.park(run, ws, ClarificationKind.APPROVAL, answer.parkedOn().id(), answer.parkedOn().question(),
                    Optional.empty(), result));
        }
        result.put("approval", answer.decision().name().toLowerCase(Locale.ROOT));
        if (answer.comment() != null) {
            result.put("approval_comment", answer.comment());
        }
        return switch (answer.decision()) {
            case APPROVED -> Optional.empty();
            case REJECTED -> {
                result.put("pushed", false);
                yield Optional.of(RunResult.failed(FailureReason.REJECTED, "the change was rejected"
                        + (answer.comment() == null ? "" : ": " + answer.comment()) + "; nothing was pushed", result));
            }
            case EXPIRED -> {
                result.put("pushed", false);
                yield Optional.of(RunResult.failed(FailureReason.NEEDS_CLARIFICATION, "no approval before " + expires
                        + " (" + answer.comment() + "); nothing was pushed", result));
            }
            case PARKED -> throw new IllegalStateException("handled above");
            case STOPPED -> RunOutcomes.ended(run, run.watch, result).or(() -> Optional.of(RunResult.failed(FailureReason.TIMEOUT,
                    "no approval before the task's time limit; nothing was pushed", result)));
        };
    }

    private RunResult pullRequest(RunScope scope, Workspace ws, Map<String, Object> result) {
        WorkOrder order = scope.run().claim.order();
        if (order.continuation() != null && order.continuation().pullRequestUrl() != null) {
            // the branch's pull request is open already: the push updated it
            result.put("pr_url", order.continuation().pullRequestUrl());
            return RunResult.completed(result);
        }
        Optional<String> repo = PullRequests.repository(order);
        if (pullRequests == null || !pullRequests.configured() || repo.isEmpty()) {
            return RunResult.failed(FailureReason.PUSH_FAILED, "branch " + ws.workBranch() + " pushed, but no pull request "
                    + "could be opened: " + (repo.isEmpty() ? "the repository is not on GitHub (set metadata.github_repository)"
                    : "no GitHub token configured (AGENTVINE_GITHUB_TOKEN)"), result);
        }
        scope.events().step(scope.run(), RunStep.PULL_REQUEST);
        try {
            PullRequests.Opened pr = network.run("the pull request", scope.run(), scope.deadline(), () -> pullRequests.open(repo.get(), ws.workBranch(), ws.baseBranch(),
                    order.title(), "Opened by AgentVine for task " + order.taskId() + " (" + order.type() + ").\n\n" + order.instructions()),
                    opened -> log.warn("pull request {} of {} opened after the run gave up on it", opened.url(), order.taskId()));
            result.put("pr_url", pr.url());
            result.put("pr_number", pr.number());
            return RunResult.completed(result);
        } catch (PullRequests.DeliveryException e) {
            return RunResult.failed(FailureReason.PUSH_FAILED, "branch " + ws.workBranch() + " pushed; " + e.getMessage(), result);
        }
    }

}
