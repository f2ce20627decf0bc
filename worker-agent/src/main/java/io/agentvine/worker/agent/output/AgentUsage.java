package io.agentvine.worker.agent.output;

import io.agentvine.model.TokenUsage;
import java.util.Objects;

/**
 * What an agent has used so far in one run: tokens, cost and turns.
 *
 * @param tokens  tokens as the model API counts them
 * @param costUsd the cost in US dollars; null when nobody could say (the CLI gave none and the
 *                price table does not know the model)
 * @param turns   model turns (API round trips or agent turns, as the CLI counts them)
 */
public record AgentUsage(TokenUsage tokens, Double costUsd, int turns) {
    public static final AgentUsage NONE = new AgentUsage(TokenUsage.ZERO, null, 0);

    public AgentUsage {
        Objects.requireNonNull(tokens, "tokens");
        if (costUsd != null && (costUsd.isNaN() || costUsd.isInfinite() || costUsd < 0)) {
            throw new IllegalArgumentException("costUsd must be a finite amount of at least 0, was " + costUsd);
        }
        if (turns < 0) {
            throw new IllegalArgumentException("turns must be at least 0, was " + turns);
        }
    }

    /** The sum of both; an unknown cost counts as nothing next to a known one, and stays unknown next to another. */
    public AgentUsage plus(AgentUsage other) {
        return new AgentUsage(tokens.plus(other.tokens), Costs.plus(costUsd, other.costUsd),
                Math.addExact(turns, other.turns));
    }

    /**
     * What was used since {@code earlier}, for incremental usage events. Never negative: a count that
     * went down (a CLI's final report replacing a running estimate) reads as 0. A cost known now but
     * not then is all new; a cost unknown now stays unknown.
     */
    public AgentUsage minus(AgentUsage earlier) {
        Double cost = costUsd == null ? null
                : earlier.costUsd == null ? costUsd : Math.max(0, costUsd - earlier.costUsd);
        return new AgentUsage(Fields.growth(tokens, earlier.tokens), cost, Math.max(0, turns - earlier.turns));
    }
}
