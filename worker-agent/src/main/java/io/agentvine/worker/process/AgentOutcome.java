package io.agentvine.worker.process;

import java.time.Duration;
import java.util.Objects;

/**
 * How a run ended. {@code kind} is {@code EXITED} when the agent ended by itself, {@code TIMED_OUT}
 * when {@link AgentProcess#waitFor} stopped it, {@code TERMINATED} when {@link AgentProcess#terminate} (or close, or an
 * interrupt of the waiting thread) did. {@code exitCode} is the process's status (128 + signal
 * number when a signal ended it, e.g. 143 for SIGTERM), null only when it could not be stopped.
 * {@code duration} runs from start to exit, on the injected clock.
 */
public record AgentOutcome(Kind kind, Integer exitCode, Duration duration) {
    public enum Kind { EXITED, TIMED_OUT, TERMINATED }

    public AgentOutcome {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(duration, "duration");
    }

    /** Ended by itself with status 0. */
    public boolean succeeded() {
        return kind == Kind.EXITED && exitCode != null && exitCode == 0;
    }
}
