package io.agentvine.worker.agent.output;

import java.util.Optional;

/**
 * Reads one agent run's output, line by line, into progress messages, usage and a verdict.
 *
 * <p>Stateful, one per run, fed every output line. Thread-safe: the stdout and stderr readers call it
 * concurrently. Never throws on what the agent prints: a line it cannot make sense of is at most a
 * progress message.
 */
public interface OutputParser {
    String STDOUT = "stdout";
    String STDERR = "stderr";

    /**
     * Consumes one line (terminator removed).
     *
     * @param stream {@link #STDOUT} or {@link #STDERR}
     * @return a short human-readable progress message for the line, or empty to skip it
     */
    Optional<String> line(String stream, String line);

    /** Usage seen so far: cumulative, with the cost computed from the price table when the CLI gave none. */
    AgentUsage usage();

    /**
     * The final outcome, if the CLI reported one (Claude Code's result message, Codex's turn.completed,
     * turn.failed or error). Empty when no final report was seen, e.g. the agent hung or died before
     * it: then the exit code decides.
     */
    Optional<AgentVerdict> verdict();

    /**
     * The agent's session, if the CLI named it (Claude Code's {@code session_id}, Codex's {@code thread_id}): what a
     * later run would resume. Empty for CLIs that have none.
     */
    default Optional<String> sessionId() {
        return Optional.empty();
    }
}
