package io.agentvine.worker.agent.output;

import io.agentvine.model.TokenUsage;

/** PLACEHOLDER until helper/parsers merges. */
public record AgentUsage(TokenUsage tokens, Double costUsd, int turns) {
    public static final AgentUsage NONE = new AgentUsage(TokenUsage.ZERO, null, 0);

    public AgentUsage plus(AgentUsage o) {
        return new AgentUsage(tokens.plus(o.tokens), costUsd == null ? o.costUsd : o.costUsd == null ? costUsd : costUsd + o.costUsd,
                turns + o.turns);
    }

    public AgentUsage minus(AgentUsage e) {
        return new AgentUsage(new TokenUsage(Math.max(0, tokens.inputTokens() - e.tokens.inputTokens()),
                Math.max(0, tokens.outputTokens() - e.tokens.outputTokens()),
                Math.max(0, tokens.cacheReadTokens() - e.tokens.cacheReadTokens()),
                Math.max(0, tokens.cacheCreationTokens() - e.tokens.cacheCreationTokens())),
                costUsd == null ? null : Math.max(0, costUsd - (e.costUsd == null ? 0 : e.costUsd)), Math.max(0, turns - e.turns));
    }
}
