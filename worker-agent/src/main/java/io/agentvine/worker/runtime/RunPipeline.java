package io.agentvine.worker.runtime;

import io.agentvine.model.FailureReason;
import io.agentvine.model.PermissionLevel;
import io.agentvine.model.WorkOrder;
import io.agentvine.worker.agent.AgentAdapter;
import io.agentvine.worker.agent.AgentRun;
import io.agentvine.worker.agent.output.AgentUsage;
import io.agentvine.worker.agent.output.AgentVerdict;
import io.agentvine.worker.clarify.AskServer;
import io.agentvine.worker.config.WorkerConfig;
import io.agentvine.worker.delivery.PullRequests;
import io.agentvine.worker.tasks.Acceptance;
import io.agentvine.worker.tasks.Prompts;
import io.agentvine.worker.tasks.ReviewReport;
import io.agentvine.worker.tasks.TaskProfile;
import io.agentvine.worker.tasks.TaskProfiles;
import io.agentvine.worker.tasks.TestCommands;
import io.agentvine.worker.tasks.TestRun;
import io.agentvine.worker.process.AgentCommand;
import io.agentvine.worker.process.AgentProcess;
import io.agentvine.worker.workspace.Workspace;
import io.agentvine.worker.workspace.WorkspaceException;
import io.agentvine.worker.workspace.WorkspaceManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.PersonIdent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One claimed order, start to finish, on this worker: clone → instructions from the type's template →
 * the agent under supervision and watch (budget, stall) → the type's acceptance (tests, or a review
 * that changed nothing) → delivery by permission level (push; push and pull request; or an approval
 * first). Everything that can go wrong ends as a {@link RunResult} with a reason class; the runtime
 * reports it.
 *
 * <p>Every phase lies inside the attempt's deadline and ends when the run is stopped: the agent and
 * the tests are processes the run terminates; the clone, the push and the pull request run as
 * {@link NetworkSteps}, which the run stops waiting for; the approval wait checks both. An order the
 * run cannot use ({@link OrderCheck}, or anything in it that fails the run before the agent starts)
 * ends as {@code invalid_payload}, which the runtime dead-letters.
 */
final class RunPipeline {
    private static final Logger log = LoggerFactory.getLogger(RunPipeline.class);
    static final int MAX_DIFF_SUMMARY = 60 * 1024;

    /** What the pipeline tells the outside while it runs. */
    interface Events {
        void progress(ActiveRun run, String message);

        void awaitingApproval(ActiveRun run, String diffSummary, List<String> changedFiles, Instant expiresAt);
    }

    private final WorkerConfig config;
    private final WorkspaceManager workspaces;
    private final AgentAdapter adapter;
    private final TaskProfiles profiles;
    private final PullRequests pullRequests;
    private final Approvals approvals;
    private final AskServer asks;
    private final Map<String, String> testEnv;
    private final Clock clock;
    private final Events events;
    private final NetworkSteps network;

    RunPipeline(WorkerConfig config, WorkspaceManager workspaces, AgentAdapter adapter, TaskProfiles profiles, PullRequests pullRequests,
                Approvals approvals, AskServer asks, Map<String, String> testEnv, Clock clock, Events events) {
        this.asks = asks;
        this.config = config;
        this.workspaces = workspaces;
        this.adapter = adapter;
        this.profiles = profiles;
        this.pullRequests = pullRequests;
        this.approvals = approvals;
        this.testEnv = Map.copyOf(testEnv);
        this.clock = clock;
        this.events = events;
        this.network = new NetworkSteps(clock, config.gitTimeout());
    }

    /** Waits for the network steps runs gave up on (see {@link NetworkSteps#close}). */
    void close() {
        network.close();
    }

    RunResult run(ActiveRun run, String workerId, Path logFile) {
        WorkOrder order = run.claim.order();
        Optional<String> unusable = OrderCheck.problem(order);
        if (unusable.isPresent()) {
            return RunResult.failed(FailureReason.INVALID_PAYLOAD, "the worker cannot use this order: " + unusable.get());
        }
        Duration timeout = Duration.ofSeconds(Math.min(order.budget().timeoutSeconds(), config.taskTimeout().toSeconds()));
        Instant deadline = clock.instant().plus(timeout);
        Map<String, Object> result = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        boolean beforeAgent = true;
        try (Workspace ws = network.run("the clone", run, deadline, () -> workspaces.prepare(order), Workspace::close)) {
            run.cloneNanos = System.nanoTime() - t0;
            TaskProfile profile = profiles.forType(order.type());
            Optional<List<String>> tests = profile.acceptance() == Acceptance.TESTS
                    ? TestCommands.forOrder(order.testCommand(), ws.dir()) : Optional.empty();
            Path prompt = sibling(logFile, ".prompt.md");
            Path reviewFile = sibling(logFile, ".review.md");
            Files.deleteIfExists(reviewFile); // an earlier attempt's report is not this one's
            Files.writeString(prompt, Prompts.render(profile, order, ws.dir(), ws.baseBranch(), reviewFile, tests.map(t -> String.join(" ", t))
                    .map(t -> t.startsWith("sh -c ") ? t.substring(6) : t)), StandardCharsets.UTF_8);
            String model = order.model() != null ? order.model() : config.modelFor(order.modelTier());
            AgentRun agentRun = new AgentRun(order, ws.dir(), prompt, logFile, reviewFile, model);
            result.put("agent", adapter.name());
            result.put("model", model);
            if (adapter.isDemo()) {
                result.put("demo_agent", true);
                result.put("notice", "DEMO AGENT: a scripted change, no AI model was used");
                log.warn("task {} runs on the DEMO agent: a scripted change, no AI model", order.taskId());
            }
            RunWatch watch = new RunWatch(adapter.parser(agentRun), order.budget(), config.agentSettings().stallTimeout(), clock,
                    message -> events.progress(run, message), (why, message) -> {
                        log.warn("stopping the agent of {}: {}", order.taskId(), message);
                        run.stop(why);
                    });
            run.watch = watch;
            AgentProcess.Outcome outcome;
            AgentCommand command = withAsking(adapter.command(agentRun), run, workerId, watch);
            beforeAgent = false;
            run.spawnNanos = System.nanoTime();
            try (AgentProcess agent = AgentProcess.start(command, watch, clock)) {
                run.agentStartedNanos = System.nanoTime();
                run.agentRunning = true;
                run.attach(agent);
                outcome = agent.waitFor(remaining(deadline));
            } finally {
                run.agentRunning = false;
                if (asks != null) {
                    asks.close(run.claim.id());
                }
            }
            result.put("usage", usage(watch.usage()));
            result.put("timings", timings(run, outcome.duration()));
            Optional<RunResult> ended = ended(run, watch, result);
            if (ended.isPresent()) {
                return ended.get();
            }
            if (outcome.kind() == AgentProcess.Outcome.Kind.TIMED_OUT) {
                return RunResult.failed(FailureReason.TIMEOUT, "the agent ran past " + timeout, result);
            }
            Optional<RunResult> agentFailed = agentOutcome(outcome, watch, result);
            if (agentFailed.isPresent()) {
                return agentFailed.get();
            }
            if (profile.acceptance() == Acceptance.REVIEW) {
                return review(ws, reviewFile, watch, result);
            }
            if (profile.acceptance() == Acceptance.TESTS) {
                Optional<RunResult> testsFailed = runTests(run, ws, tests, logFile, deadline, result, watch);
                if (testsFailed.isPresent()) {
                    return testsFailed.get();
                }
            }
            return deliver(run, ws, order, workerId, deadline, result);
        } catch (NetworkSteps.GaveUp e) {
            return ended(run, run.watch, result).orElseGet(() -> RunResult.failed(FailureReason.TIMEOUT,
                    e.step() + " ran past the task's time limit of " + timeout.toSeconds() + " s", result));
        } catch (WorkspaceException e) {
            return RunResult.failed(switch (e.kind()) {
                case CLONE_FAILED -> FailureReason.CLONE_FAILED;
                case PUSH_FAILED -> FailureReason.PUSH_FAILED;
                case COMMIT_FAILED -> FailureReason.AGENT_ERROR;
            }, e.getMessage(), result);
        } catch (RuntimeException e) {
            if (beforeAgent) { // the order's content, e.g. a field nothing checked: another attempt fails the same way
                log.warn("the worker cannot use the order of {}", order.taskId(), e);
                return RunResult.failed(FailureReason.INVALID_PAYLOAD, "the worker cannot use this order: " + e, result);
            }
            log.warn("run of {} failed", order.taskId(), e);
            return RunResult.failed(FailureReason.AGENT_ERROR, e.toString(), result);
        } catch (IOException e) {
            log.warn("run of {} failed", order.taskId(), e);
            return RunResult.failed(FailureReason.AGENT_ERROR, e.toString(), result);
        }
    }

    /**
     * Lets the agent ask the operator ({@code vine-ask} on its PATH, the ask URL and its run's token in
     * its environment). The order may set its own wait ({@code metadata.clarification_timeout_seconds})
     * and policy ({@code metadata.clarification_policy}: continue or fail).
     */
    private AgentCommand withAsking(AgentCommand command, ActiveRun run, String workerId, RunWatch watch) {
        if (asks == null) {
            return command;
        }
        WorkOrder order = run.claim.order();
        Duration wait = config.agentSettings().questionTimeout();
        Object seconds = order.metadata().get("clarification_timeout_seconds");
        if (seconds instanceof Number n && n.longValue() > 0) {
            wait = Duration.ofSeconds(n.longValue());
        }
        boolean stop = config.agentSettings().stopOnUnanswered();
        Object policy = order.metadata().get("clarification_policy");
        if ("fail".equals(policy) || "continue".equals(policy)) {
            stop = "fail".equals(policy);
        }
        Map<String, String> env = new java.util.HashMap<>(command.environment());
        env.putAll(asks.open(run.claim.id(), new AskServer.Run(workerId, run.claim.id(), order.taskId(), wait, stop,
                () -> run.stopped() != ActiveRun.Stop.NONE, message -> events.progress(run, message),
                () -> run.stop(ActiveRun.Stop.NEEDS_CLARIFICATION), waiting -> {
                    if (waiting) {
                        run.openQuestions.incrementAndGet();
                    } else {
                        run.openQuestions.decrementAndGet();
                        watch.touch();
                    }
                })));
        return new AgentCommand(command.argv(), command.workingDir(), env, command.secretNames(), command.logFile(), command.stdinFile());
    }

    /** The run was stopped from outside (cancel, lost lease, shutdown) or by its watch (budget, stall). */
    private static Optional<RunResult> ended(ActiveRun run, RunWatch watch, Map<String, Object> result) {
        String why = watch == null ? "" : watch.stopMessage().orElse("");
        return Optional.ofNullable(switch (run.stopped()) {
            case CANCELLED -> RunResult.failed(FailureReason.CANCELLED, "cancelled by an operator", result);
            case LOST_LEASE -> RunResult.failed(FailureReason.LOST_LEASE, "the order was recovered from this worker", result);
            case RELEASED -> RunResult.failed(FailureReason.WORKER_LOST, "released: worker shutting down", result);
            case BUDGET_EXCEEDED -> RunResult.failed(FailureReason.BUDGET_EXCEEDED, why, result);
            case STALLED -> RunResult.failed(FailureReason.STALLED, why, result);
            case NEEDS_CLARIFICATION -> RunResult.failed(FailureReason.NEEDS_CLARIFICATION,
                    "the agent's question was not answered in time and the policy is to stop", result);
            case NONE -> null;
        });
    }

    /**
     * The CLI's own verdict first (Claude Code exits 0 after an API error it calls a success; the
     * parser branches on subtype and status), then the exit code; a CLI that reports its outcome but
     * exited without one did not finish.
     */
    private Optional<RunResult> agentOutcome(AgentProcess.Outcome outcome, RunWatch watch, Map<String, Object> result) {
        Optional<AgentVerdict> verdict = watch.parser().verdict();
        if (verdict.isPresent() && verdict.get().kind() != AgentVerdict.Kind.SUCCESS) {
            AgentVerdict v = verdict.get();
            String message = v.message() == null ? v.kind().name().toLowerCase(java.util.Locale.ROOT) : v.message();
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
        if (adapter.reportsOutcome() && verdict.isEmpty()) {
            return Optional.of(RunResult.failed(FailureReason.AGENT_ERROR,
                    "the agent exited without its final result message: the run did not finish", result));
        }
        return Optional.empty();
    }

    /** A review reports and changes nothing: its report is the result; a review that edited files fails. */
    private static RunResult review(Workspace ws, Path reviewFile, RunWatch watch, Map<String, Object> result) throws IOException {
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

    private Optional<RunResult> runTests(ActiveRun run, Workspace ws, Optional<List<String>> tests, Path logFile, Instant deadline,
                                         Map<String, Object> result, RunWatch watch) {
        if (tests.isEmpty()) {
            result.put("tests", Map.of("ran", false, "reason", "the order has no test_command and none was detected"));
            return Optional.empty();
        }
        events.progress(run, "running the tests: " + String.join(" ", tests.get()));
        TestRun.Result t = TestRun.run(tests.get(), ws.dir(), testEnv, Set.of(), logFile, remaining(deadline), clock, run::attach);
        Map<String, Object> summary = new LinkedHashMap<>(t.toMap());
        summary.put("ran", true);
        result.put("tests", summary);
        Optional<RunResult> ended = ended(run, watch, result);
        if (ended.isPresent()) {
            return ended;
        }
        if (t.timedOut()) {
            return Optional.of(RunResult.failed(FailureReason.TIMEOUT, "the tests ran past the task's time limit", result));
        }
        if (!t.passed()) {
            List<String> tail = t.tail();
            return Optional.of(RunResult.failed(FailureReason.TESTS_FAILED, "tests failed (exit " + t.exitCode() + "): "
                    + String.join(" | ", tail.subList(Math.max(0, tail.size() - 5), tail.size())), result));
        }
        return Optional.empty();
    }

    /**
     * Commits and delivers the work branch (never the base branch): autonomous → push; supervised →
     * push and open a pull request, its URL in the result; human_required → commit, ask for approval
     * with the diff, and push only once approved.
     */
    private RunResult deliver(ActiveRun run, Workspace ws, WorkOrder order, String workerId, Instant deadline, Map<String, Object> result) {
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
            Optional<RunResult> notApproved = approve(run, ws, order, workerId, changed, deadline, result);
            if (notApproved.isPresent()) {
                return notApproved.get();
            }
        }
        network.run("the push", run, deadline, ws::push, pushed -> { });
        result.put("pushed", true);
        if (order.permissionLevel() == PermissionLevel.SUPERVISED) {
            return pullRequest(run, ws, order, deadline, result);
        }
        return RunResult.completed(result);
    }

    private Optional<RunResult> approve(ActiveRun run, Workspace ws, WorkOrder order, String workerId, List<String> changed,
                                        Instant deadline, Map<String, Object> result) {
        String diff = ws.diffSummary(MAX_DIFF_SUMMARY);
        Instant expires = clock.instant().plus(config.agentSettings().approvalTimeout());
        events.awaitingApproval(run, diff, changed, expires);
        Approvals.Answer answer = approvals.await(new Approvals.Request(order, workerId, run.claim.id(), run.claim.attempt(), diff,
                changed, expires), () -> run.stopped() != ActiveRun.Stop.NONE || !clock.instant().isBefore(deadline));
        result.put("approval", answer.decision().name().toLowerCase(java.util.Locale.ROOT));
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
            case STOPPED -> ended(run, run.watch, result).or(() -> Optional.of(RunResult.failed(FailureReason.TIMEOUT,
                    "no approval before the task's time limit; nothing was pushed", result)));
        };
    }

    private RunResult pullRequest(ActiveRun run, Workspace ws, WorkOrder order, Instant deadline, Map<String, Object> result) {
        Optional<String> repo = PullRequests.repository(order);
        if (pullRequests == null || !pullRequests.configured() || repo.isEmpty()) {
            return RunResult.failed(FailureReason.PUSH_FAILED, "branch " + ws.workBranch() + " pushed, but no pull request "
                    + "could be opened: " + (repo.isEmpty() ? "the repository is not on GitHub (set metadata.github_repository)"
                    : "no GitHub token configured (AGENTVINE_GITHUB_TOKEN)"), result);
        }
        try {
            var pr = network.run("the pull request", run, deadline, () -> pullRequests.open(repo.get(), ws.workBranch(), ws.baseBranch(),
                    order.title(), "Opened by AgentVine for task " + order.taskId() + " (" + order.type() + ").\n\n" + order.instructions()),
                    opened -> log.warn("pull request {} of {} opened after the run gave up on it", opened.url(), order.taskId()));
            result.put("pr_url", pr.url());
            result.put("pr_number", pr.number());
            return RunResult.completed(result);
        } catch (PullRequests.DeliveryException e) {
            return RunResult.failed(FailureReason.PUSH_FAILED, "branch " + ws.workBranch() + " pushed; " + e.getMessage(), result);
        }
    }

    static Map<String, Object> usage(AgentUsage u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input_tokens", u.tokens().inputTokens());
        m.put("output_tokens", u.tokens().outputTokens());
        m.put("cache_read_tokens", u.tokens().cacheReadTokens());
        m.put("cache_creation_tokens", u.tokens().cacheCreationTokens());
        m.put("turns", u.turns());
        if (u.costUsd() != null) {
            m.put("cost_usd", u.costUsd());
        }
        return m;
    }

    private static Map<String, Object> timings(ActiveRun run, Duration agent) {
        long overhead = run.agentStartedNanos - run.claimedNanos - run.cloneNanos;
        return Map.of("clone_ms", run.cloneNanos / 1_000_000, "claim_to_agent_start_ms", Math.max(0, overhead) / 1_000_000.0,
                "spawn_ms", (run.agentStartedNanos - run.spawnNanos) / 1_000_000.0, "agent_ms", agent.toMillis());
    }

    private Duration remaining(Instant deadline) {
        Duration d = Duration.between(clock.instant(), deadline);
        return d.isNegative() ? Duration.ZERO : d;
    }

    private static Path sibling(Path logFile, String suffix) throws IOException {
        String name = logFile.getFileName().toString().replaceFirst("\\.log$", "");
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        return logFile.toAbsolutePath().resolveSibling(name + suffix);
    }
}
