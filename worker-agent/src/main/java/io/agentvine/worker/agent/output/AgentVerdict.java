package io.agentvine.worker.agent.output;

/** PLACEHOLDER until helper/parsers merges. */
public record AgentVerdict(Kind kind, String message, Integer apiErrorStatus) {
    public enum Kind { SUCCESS, MAX_TURNS, BUDGET_EXCEEDED, API_ERROR, ERROR }
}
