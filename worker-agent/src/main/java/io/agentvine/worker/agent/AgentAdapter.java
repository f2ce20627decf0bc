package io.agentvine.worker.agent;

import io.agentvine.worker.agent.session.SessionFiles;
import java.util.Optional;

import io.agentvine.worker.agent.output.OutputParser;
import io.agentvine.worker.process.AgentCommand;

/**
 * A coding-agent CLI: how to run it for one order, and how to read what it prints. The runtime runs
 * the command under its process supervision and feeds every output line to the parser.
 */
public interface AgentAdapter {
    /** The configuration name: claude-code, codex, aider, command, demo. */
    String name();

    AgentCommand command(AgentRun run);

    /** A fresh parser for one run. */
    OutputParser parser(AgentRun run);

    /**
     * True when the CLI reports its own final outcome (Claude Code's result message): a clean exit
     * without one means the run did not finish. False: the exit code decides.
     */
    default boolean reportsOutcome() {
        return false;
    }

    /** True for the scripted demo agent, which no user should mistake for a real one. */
    default boolean isDemo() {
        return false;
    }

    /**
     * Where the CLI keeps its sessions, when it can resume one ({@link AgentRun#resumeSession()}): the worker keeps a
     * finished run's session for a follow-up and puts it back before the follow-up resumes it. Empty: no resume.
     */
    default Optional<SessionFiles> sessionFiles() {
        return Optional.empty();
    }
}
