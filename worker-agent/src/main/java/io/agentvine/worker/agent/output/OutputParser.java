package io.agentvine.worker.agent.output;

import java.util.Optional;

/** PLACEHOLDER until helper/parsers merges. */
public interface OutputParser {
    Optional<String> line(String stream, String line);

    AgentUsage usage();

    Optional<AgentVerdict> verdict();
}
