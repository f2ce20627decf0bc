package io.agentvine.worker.runtime;

import io.agentvine.model.WorkOrder;
import io.agentvine.worker.process.AgentCommand;
import java.nio.file.Path;

/**
 * Turns a work order into the command that runs the coding agent in its workspace. The typed
 * executors and the Claude Code / Codex / Aider adapters (their own issue) implement this; the runtime
 * only needs the command.
 */
@FunctionalInterface
public interface AgentLauncher {
    AgentCommand command(WorkOrder order, Path workspace, Path promptFile, Path logFile);
}
