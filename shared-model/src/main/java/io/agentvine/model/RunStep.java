package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where a running attempt is on its worker: the step the worker reports in its heartbeat
 * ({@link CurrentTask#step()}) and, on each change, in a {@code step_changed} {@link LifecycleEvent}.
 * In the order a run goes through them; a run skips what does not apply (a review neither commits nor
 * pushes, only a supervised run opens a pull request, only a human_required one waits for approval),
 * and {@code waiting_for_answer} interrupts {@code agent_running} while the agent's question is open.
 */
public enum RunStep {
    /** Claimed; the order is checked and the run set up. */
    PREPARING,
    /** The repository is cloned into the run's workspace. */
    CLONING,
    /** The coding agent runs. */
    AGENT_RUNNING,
    /** The tests (acceptance) run. */
    TESTING,
    /** The change is committed on the work branch. */
    COMMITTING,
    /** The work branch is pushed. */
    PUSHING,
    /** The pull request is opened. */
    PULL_REQUEST,
    /** The agent asked a question and waits for an operator's answer. */
    WAITING_FOR_ANSWER,
    /** The change is committed and waits for an operator's approval before it is pushed. */
    WAITING_FOR_APPROVAL,
    /** The run is over on the worker; its end is being reported. */
    FINISHING;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static RunStep fromWire(String value) {
        return Enums.parse(RunStep.class, value, "step");
    }
}
