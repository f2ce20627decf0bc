package io.agentvine.worker.agent.output;

import java.util.Objects;

/**
 * How the CLI said the run ended.
 *
 * @param kind           the class of outcome
 * @param message        the CLI's own words: the final answer on success, the error otherwise (may be empty)
 * @param apiErrorStatus the HTTP status of the failing model API call, when the CLI said which
 */
public record AgentVerdict(Kind kind, String message, Integer apiErrorStatus) {
    public enum Kind { SUCCESS, MAX_TURNS, BUDGET_EXCEEDED, API_ERROR, ERROR }

    public AgentVerdict {
        Objects.requireNonNull(kind, "kind");
        message = message == null ? "" : message;
    }
}
