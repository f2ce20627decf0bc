package io.agentvine.worker.agent.output;

import java.util.Optional;

/** PLACEHOLDER until helper/parsers merges. */
public final class OutputParsers {
    private OutputParsers() {
    }

    public static OutputParser forAdapter(String adapter, String model, PriceTable prices) {
        return new OutputParser() {
            @Override
            public Optional<String> line(String stream, String line) {
                return line.isBlank() ? Optional.empty() : Optional.of(line);
            }

            @Override
            public AgentUsage usage() {
                return AgentUsage.NONE;
            }

            @Override
            public Optional<AgentVerdict> verdict() {
                return Optional.empty();
            }
        };
    }
}
