package io.agentvine.worker.runtime;

import io.agentvine.model.FailureReason;
import java.util.Map;

/**
 * How one run ended, as the worker reports it: completed with a result (commit, branch, …), or failed
 * with a reason class and whether another attempt may help.
 */
public record RunResult(boolean completed, FailureReason reason, String message, Map<String, Object> result) {
    public static RunResult completed(Map<String, Object> result) {
        return new RunResult(true, null, null, Map.copyOf(result));
    }

    public static RunResult failed(FailureReason reason, String message) {
        return new RunResult(false, reason, message, Map.of());
    }
}
