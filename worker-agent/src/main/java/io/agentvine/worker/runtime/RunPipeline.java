package io.agentvine.worker.runtime;

import io.agentvine.model.ClarificationKind;
import io.agentvine.model.FailureReason;
import io.agentvine.model.ParkedRun;
import io.agentvine.model.RunStep;
import io.agentvine.model.WorkOrder;
import io.agentvine.worker.clarify.Approvals;
import io.agentvine.worker.agent.AgentAdapter;
import io.agentvine.worker.agent.AgentRun;
import io.agentvine.worker.agent.output.AgentVerdict;
import io.agentvine.worker.agent.output.AgentUsage;
import io.agentvine.worker.clarify.AskServer;
import io.agentvine.worker.config.WorkerConfig;
import io.agentvine.worker.delivery.PullRequests;
import io.agentvine.worker.tasks.Acceptance;
import io.agentvine.worker.tasks.Prompts;
import io.agentvine.worker.tasks.TaskProfile;
import io.agentvine.worker.tasks.TaskProfiles;
import io.agentvine.worker.tasks.TestCommands;
import io.agentvine.worker.tasks.TestRun;
import io.agentvine.worker.process.AgentCommand;
import io.agentvine.worker.process.AgentOutcome;
import io.agentvine.worker.process.AgentProcess;
import io.agentvine.worker.process.LogSink;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
    /** The agent's last word kept in a result as its summary, at most (characters). */
    static final int MAX_SUMMARY = 4000;

    /** What the pipeline tells the outside while it runs. */
    interface Events {
        void progress(ActiveRun run, String message);

        void awaitingApproval(ActiveRun run, String diffSummary, List<String> changedFiles, Instant expiresAt);

        /** The run enters {@code step}; announced once per change (entering the current step again says nothing). */
        void step(ActiveRun run, RunStep step);

        /** The run goes back from the wait {@code from} to {@code to}, if it is still waiting there. */
        void stepBack(ActiveRun run, RunStep from, RunStep to);
    }

    /**
     * What the pipeline works with.
     *
     * @param pullRequests may be null: no pull request can be opened
     * @param asks         may be null: agents cannot ask
     * @param testEnv      variables the test commands get besides PATH, HOME and the like
     */
    record Parts(WorkerConfig config, WorkspaceManager workspaces, AgentAdapter adapter, TaskProfiles profiles,
                 PullRequests pullRequests, Approvals approvals, AskServer asks, Map<String, String> testEnv,
                 SessionKeeper sessions) {
        Parts {
            testEnv = Map.copyOf(testEnv);
        }
    }

    private final WorkerConfig config;
    private final WorkspaceManager workspaces;
    private final AgentAdapter adapter;
    private final TaskProfiles profiles;
    private final AskServer asks;
    private final Map<String, String> testEnv;
    private final SessionKeeper sessions;
    private final Clock clock;
    private final NetworkSteps network;
    private final Delivery delivery;
    private final Parking parking;

    RunPipeline(Parts parts, Clock clock) {
        this.config = parts.config();
        this.workspaces = parts.workspaces();
        this.adapter = parts.adapter();
        this.profiles = parts.profiles();
        this.asks = parts.asks();
        this.testEnv = parts.testEnv();
        this.sessions = parts.sessions();
        this.clock = clock;
        this.network = new NetworkSteps(clock, config.gitTimeout());
        this.parking = new Parking(config, parts.sessions(), parts.adapter().name(), clock);
        this.delivery = new Delivery(config, parts.pullRequests(), parts.approvals(), network, parking, clock);
    }

    /** Waits for the network steps runs gave up on (see {@link NetworkSteps#close}). */
    void close() {
        network.close();
    }

    /** @param liveLog gets every line written to {@code logFile} in this run (the attempt's live log) */
    RunResult run(ActiveRun run, String workerId, Path logFile, LogSink liveLog, Events events) {
        WorkOrder order = run.claim.order();
        Optional<String> unusable = OrderCheck.problem(order);
        if (unusable.isPresent()) {
            return RunResult.failed(FailureReason.INVALID_PAYLOAD, "the worker cannot use this order: " + unusable.get());
        }
        Duration timeout = Duration.ofSeconds(Math.min(order.budget().timeoutSeconds(), config.taskTimeout().toSeconds()));
        Instant deadline = clock.instant().plus(timeout);
        RunScope scope = new RunScope(run, workerId, deadline, events);
        Map<String, Object> result = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        boolean beforeAgent = true;
        events.step(run, RunStep.CLONING);
        try (Workspace ws = network.run("the clone", run, deadline, () -> workspaces.prepare(order), Workspace::close)) {
            run.cloneNanos = System.nanoTime() - t0;
            ParkedRun parked = order.parked();
            if (parked != null) { // a run that parked while a human decided resumes here, on whichever worker claimed it
                beforeAgent = false;
                parking.restore(order, ws);
                result.put("resumed", Map.of("request_id", parked.requestId(), "kind", parked.kind().wireName(),
                        "decision", parked.decision() == null ? "none" : parked.decision().wireName()));
                if (parked.kind() == ClarificationKind.APPROVAL) {
                    return finish(order, ws, delivery.decided(scope, ws, parked, result));
                }
                Optional<RunResult> unanswered = parking.unanswered(order, result);
                if (unanswered.isPresent()) {
                    return unanswered.get();
                }
            }
            TaskProfile profile = profiles.forType(order.type());
            Optional<List<String>> tests = profile.acceptance() == Acceptance.TESTS
                    ? TestCommands.forOrder(order.testCommand(), ws.dir()) : Optional.empty();
            Path prompt = sibling(logFile, ".prompt.md");
            Path reviewFile = sibling(logFile, ".review.md");
            Files.deleteIfExists(reviewFile); // an earlier attempt's report is not this one's
            String resumed = sessions.restore(order, ws.dir()).orElse(null);
            String instructions = Prompts.render(profile, order, ws.dir(), ws.baseBranch(), reviewFile, tests.map(t -> String.join(" ", t))
                    .map(t -> t.startsWith("sh -c ") ? t.substring(6) : t));
            if (parked != null) { // the answer: the resumed session's next message, or a section of a fresh prompt
                String answer = Parking.answerText(parked);
                instructions = resumed != null ? Prompts.answered(parked, answer) : instructions + Prompts.parkedSection(parked, answer);
            }
            Files.writeString(prompt, instructions, StandardCharsets.UTF_8);
            String model = order.model() != null ? order.model() : config.modelFor(order.modelTier());
            AgentRun agentRun = new AgentRun(order, ws.dir(), prompt, logFile, reviewFile, model, resumed);
            if (resumed != null) {
                result.put("resumed_session", resumed);
            }
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
            AgentOutcome outcome;
            AgentCommand command = withAsking(adapter.command(agentRun), scope, watch);
            beforeAgent = false;
            events.step(run, RunStep.AGENT_RUNNING);
            run.spawnNanos = System.nanoTime();
            try (AgentProcess agent = AgentProcess.start(command, watch, clock, AgentProcess.DEFAULT_GRACE, liveLog)) {
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
            session(watch, result);
            if (run.stopped() == ActiveRun.Stop.PARKED && run.parkedOn != null) {
                return parking.park(run, ws, ClarificationKind.QUESTION, run.parkedOn.id(), run.parkedOn.question(),
                        watch.parser().sessionId(), result);
            }
            watch.parser().sessionId().ifPresent(id -> sessions.keep(order, ws.dir(), id));
            Optional<RunResult> ended = RunOutcomes.ended(run, watch, result);
            if (ended.isPresent()) {
                return ended.get();
            }
            if (outcome.kind() == AgentOutcome.Kind.TIMED_OUT) {
                return RunResult.failed(FailureReason.TIMEOUT, "the agent ran past " + timeout, result);
            }
            Optional<RunResult> agentFailed = RunOutcomes.agentOutcome(outcome, watch, adapter.reportsOutcome(), result);
            if (agentFailed.isPresent()) {
                return agentFailed.get();
            }
            if (profile.acceptance() == Acceptance.REVIEW) {
                return RunOutcomes.review(ws, reviewFile, watch, result);
            }
            if (profile.acceptance() == Acceptance.TESTS) {
                Optional<RunResult> testsFailed = runTests(scope, ws, tests, logFile, liveLog, result, watch);
                if (testsFailed.isPresent()) {
                    return testsFailed.get();
                }
            }
            return finish(order, ws, delivery.deliver(scope, ws, result));
        } catch (NetworkSteps.GaveUp e) {
            return RunOutcomes.ended(run, run.watch, result).orElseGet(() -> RunResult.failed(FailureReason.TIMEOUT,
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

    /** A delivered run that had parked: its saved work is on the branch now, so its private ref goes. */
    private static RunResult finish(WorkOrder order, Workspace ws, RunResult r) {
        if (r.completed() && order.parked() != null && order.parked().commit() != null) {
            ws.dropParked(order.parked().ref());
        }
        return r;
    }

    /**
     * Lets the agent ask the operator ({@code vine-ask} on its PATH, the ask URL and its run's token in
     * its environment). The order may set its own wait ({@code metadata.clarification_timeout_seconds})
     * and policy ({@code metadata.clarification_policy}: continue or fail).
     */
    private AgentCommand withAsking(AgentCommand command, RunScope scope, RunWatch watch) {
        if (asks == null) {
            return command;
        }
        ActiveRun run = scope.run();
        WorkOrder order = run.claim.order();
        Duration wait = config.agentSettings().questionTimeout();
        Object seconds = order.metadata().get("clarification_timeout_seconds");
        if (seconds instanceof Number n && n.longValue() > 0) {
            wait = Duration.ofSeconds(n.longValue());
        }
        boolean stop = parking.stopOnUnanswered(order);
        Map<String, String> env = new HashMap<>(command.environment());
        env.putAll(asks.open(run.claim.id(), new AskServer.Run(scope.workerId(), run.claim.id(), order.taskId(), wait, stop,
                () -> run.stopped() != ActiveRun.Stop.NONE, message -> scope.events().progress(run, message),
                () -> run.stop(ActiveRun.Stop.NEEDS_CLARIFICATION), waiting -> {
                    if (waiting) {
                        run.openQuestions.incrementAndGet();
                        scope.events().step(run, RunStep.WAITING_FOR_ANSWER);
                    } else {
                        if (run.openQuestions.decrementAndGet() == 0) {
                            scope.events().stepBack(run, RunStep.WAITING_FOR_ANSWER, RunStep.AGENT_RUNNING);
                        }
                        watch.touch();
                    }
                }, parking.parkAfter(order), question -> {
                    run.parkedOn = question;
                    run.stop(ActiveRun.Stop.PARKED);
                })));
        return new AgentCommand(command.argv(), command.workingDir(), env, command.secretNames(), command.logFile(), command.stdinFile());
    }

    private Optional<RunResult> runTests(RunScope scope, Workspace ws, Optional<List<String>> tests, Path logFile, LogSink liveLog,
                                         Map<String, Object> result, RunWatch watch) {
        ActiveRun run = scope.run();
        if (tests.isEmpty()) {
            result.put("tests", Map.of("ran", false, "reason", "the order has no test_command and none was detected"));
            return Optional.empty();
        }
        scope.events().step(run, RunStep.TESTING);
        scope.events().progress(run, "running the tests: " + String.join(" ", tests.get()));
        TestRun.Result t = TestRun.run(tests.get(), ws.dir(), testEnv, Set.of(), logFile, remaining(scope.deadline()), clock, run::attach,
                liveLog);
        Map<String, Object> summary = new LinkedHashMap<>(t.toMap());
        summary.put("ran", true);
        result.put("tests", summary);
        Optional<RunResult> ended = RunOutcomes.ended(run, watch, result);
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

    /** The agent's session id and its last word (what a follow-up's prompt says the task did), when the CLI gave them. */
    private static void session(RunWatch watch, Map<String, Object> result) {
        watch.parser().sessionId().ifPresent(id -> result.put("session_id", id));
        watch.parser().verdict().filter(v -> v.kind() == AgentVerdict.Kind.SUCCESS).map(AgentVerdict::message)
                .filter(m -> !m.isBlank()).ifPresent(m -> result.put("summary", m.length() <= MAX_SUMMARY ? m
                        : m.substring(0, MAX_SUMMARY - 1) + "…"));
    }

    private static Path sibling(Path logFile, String suffix) throws IOException {
        String name = logFile.getFileName().toString().replaceFirst("\\.log$", "");
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        return logFile.toAbsolutePath().resolveSibling(name + suffix);
    }
}
