package io.agentvine.worker.runtime;

import io.agentvine.model.ParkedRun;
import io.agentvine.model.FailureReason;
import java.util.Map;

/**
 * How one run ended, as the worker reports it: completed with a result (commit, branch, tests, usage,
 * review…), or failed with a reason class — and whatever details were gathered (the failing tests'
 * output tail, the usage) — and whether another attempt may help ({@link FailureReason#retryable()}).
 */
public record RunResult(boolean completed, FailureReason reason, String message, Map<String, Object> result, ParkedRun parked) {
    public RunResult {
        result = Map.copyOf(result);
    }

    public static RunResult completed(Map<String, Object> result) {
        return new RunResult(true, null, null, result, null);
    }

    public static RunResult failed(FailureReason reason, String message) {
        return new RunResult(false, reason, message, Map.of(), null);
    }

    public static RunResult failed(FailureReason reason, String message, Map<String, Object> details) {
        return new RunResult(false, reason, message, details, null);
    }

    /** The run parked while a human decides: its work is saved as {@code parked} says; the order waits for the decision. */
    public static RunResult parked(ParkedRun parked, Map<String, Object> details) {
        return new RunResult(false, null, "parked until " + parked.kind().wireName() + " " + parked.requestId() + " is decided",
                details, parked);
    }
}
