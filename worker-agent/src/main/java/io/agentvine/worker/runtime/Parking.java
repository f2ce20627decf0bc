package io.agentvine.worker.runtime;

import io.agentvine.model.ClarificationKind;
import io.agentvine.model.ClarificationStatus;
import io.agentvine.model.FailureReason;
import io.agentvine.model.ParkedRun;
import io.agentvine.model.WorkOrder;
import io.agentvine.worker.config.WorkerConfig;
import io.agentvine.worker.workspace.Workspace;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.PersonIdent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs that wait for a human without holding a worker. A run whose question (or approval) is not decided within
 * its park-after saves its work — committed and pushed to the task's private ref
 * {@code refs/agentvine/parked/<task>} on the order's own remote, where any worker of the type can fetch it (a
 * bundle would have to travel through the controller, which keeps no repositories) — keeps the agent's session
 * with the controller, and ends as {@link RunResult#parked}: the queue parks the order and the slot is free. When
 * the human decides, the controller sends the order back with the decision ({@link WorkOrder#parked()}); the run
 * that claims it puts the work back here and resumes.
 */
final class Parking {
    private static final Logger log = LoggerFactory.getLogger(Parking.class);

    private final WorkerConfig config;
    private final SessionKeeper sessions;
    private final String agent;
    private final Clock clock;

    Parking(WorkerConfig config, SessionKeeper sessions, String agent, Clock clock) {
        this.config = config;
        this.sessions = sessions;
        this.agent = agent;
        this.clock = clock;
    }

    /**
     * How long a question or an approval of {@code order} holds its run before it parks: the order's
     * {@code metadata.park_after_seconds} (0: at once; negative: never), else the worker's {@code AGENTVINE_PARK_AFTER}.
     */
    Optional<Duration> parkAfter(WorkOrder order) {
        if (order.metadata().get("park_after_seconds") instanceof Number n) {
            return n.longValue() < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(n.longValue()));
        }
        return config.agentSettings().parkAfter();
    }

    /**
     * Saves the run's work and its agent's session and parks it on request {@code requestId}.
     *
     * @throws io.agentvine.worker.workspace.WorkspaceException when the work cannot be saved (the run fails as a push
     *         failure and is retried: nothing is lost but the agent's progress since its last commit)
     */
    RunResult park(ActiveRun run, Workspace ws, ClarificationKind kind, String requestId, String question, Optional<String> sessionId,
                   Map<String, Object> result) {
        WorkOrder order = run.claim.order();
        String ref = ParkedRun.refOf(order.taskId());
        PersonIdent who = new PersonIdent(config.gitAuthorName(), config.gitAuthorEmail(), clock.instant(), ZoneOffset.UTC);
        Optional<String> commit = ws.saveParked(ref, order.title() + " (work so far)\n\nAgentVine task " + order.taskId() + " ("
                + order.type() + ") parked here while waiting for " + (kind == ClarificationKind.APPROVAL ? "an approval" : "an answer")
                + ".", who);
        sessionId.ifPresent(id -> sessions.keep(order, ws.dir(), id));
        ParkedRun parked = new ParkedRun(kind, requestId, question, ref, commit.orElse(null), agent, sessionId.orElse(null),
                clock.instant(), null, null, null);
        log.info("task {} parks on {} {} ({}; session {})", order.taskId(), kind.wireName(), requestId,
                commit.map(c -> "work saved as " + c + " on " + ref).orElse("nothing changed yet"), sessionId.orElse("none"));
        return RunResult.parked(parked, result);
    }

    /** Puts a resumed run's saved work back into its fresh workspace (nothing to do when none was saved). */
    void restore(WorkOrder order, Workspace ws) {
        ParkedRun p = order.parked();
        if (p != null && p.commit() != null) {
            ws.restoreParked(p.ref(), p.commit());
        }
    }

    /**
     * The resumed question's end when it ends without the agent: nobody answered in time and the policy is to
     * stop. Empty: the agent resumes with {@link #answerText}.
     */
    Optional<RunResult> unanswered(WorkOrder order, Map<String, Object> result) {
        ParkedRun p = order.parked();
        if (p.decision() == ClarificationStatus.ANSWERED || !stopOnUnanswered(order)) {
            return Optional.empty();
        }
        return Optional.of(RunResult.failed(FailureReason.NEEDS_CLARIFICATION, "the agent's question " + p.requestId()
                + " was not answered (" + (p.answer() == null ? "no answer" : p.answer()) + ") and the policy is to stop", result));
    }

    /** What the resumed agent is told in answer to its question. */
    static String answerText(ParkedRun p) {
        if (p.decision() == ClarificationStatus.ANSWERED) {
            return p.answer();
        }
        return "NO ANSWER (" + (p.answer() == null ? "nobody answered in time" : p.answer())
                + "). Continue on your own judgement and state what you assumed.";
    }

    /** What an unanswered question of {@code order} does: the order's metadata.clarification_policy, else the worker's. */
    boolean stopOnUnanswered(WorkOrder order) {
        Object policy = order.metadata().get("clarification_policy");
        return "fail".equals(policy) || (!"continue".equals(policy) && config.agentSettings().stopOnUnanswered());
    }
}
