package io.agentvine.worker.tasks;

import io.agentvine.worker.process.AgentCommand;
import io.agentvine.worker.process.AgentOutcome;
import io.agentvine.worker.process.AgentProcess;
import io.agentvine.worker.process.LogSink;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs a test command in the workspace under the same supervision as an agent (own process tree,
 * timeout, SIGTERM then SIGKILL), its output appended to the task's log, and keeps the tail of the
 * output for the result.
 */
public final class TestRun {
    public static final int TAIL_LINES = 60;

    /** How the tests went; {@code tail} is the last lines of their output, oldest first. */
    public record Result(List<String> command, boolean passed, Integer exitCode, boolean timedOut, long durationMs, List<String> tail) {
        public Map<String, Object> toMap() {
            // An order's own command runs as sh -c '<command>': show it as the operator wrote it.
            String shown = command.size() == 3 && command.get(0).equals("sh") && command.get(1).equals("-c") ? command.get(2)
                    : String.join(" ", command);
            return Map.of("command", shown, "passed", passed, "exit_code", exitCode == null ? -1 : exitCode,
                    "timed_out", timedOut, "duration_ms", durationMs, "output_tail", String.join("\n", tail));
        }
    }

    private TestRun() {
    }

    /** @param sink the run's live log: the test output goes there as it goes to the log file */
    public static Result run(List<String> argv, Path workspace, Map<String, String> env, Set<String> secretNames, Path logFile,
                             Duration timeout, Clock clock, Consumer<AgentProcess> started, LogSink sink) {
        Deque<String> tail = new ArrayDeque<>();
        AgentCommand command = new AgentCommand(argv, workspace, env, secretNames, logFile);
        AgentOutcome outcome;
        try (AgentProcess p = AgentProcess.start(command, (stream, line) -> {
            synchronized (tail) {
                tail.addLast(line.length() > 500 ? line.substring(0, 500) + "…" : line);
                if (tail.size() > TAIL_LINES) {
                    tail.removeFirst();
                }
            }
        }, clock, AgentProcess.DEFAULT_GRACE, sink)) {
            started.accept(p); // so that a cancel stops the tests too
            outcome = p.waitFor(timeout);
        }
        List<String> lines;
        synchronized (tail) {
            lines = List.copyOf(tail);
        }
        boolean timedOut = outcome.kind() == AgentOutcome.Kind.TIMED_OUT;
        return new Result(argv, !timedOut && outcome.succeeded(), outcome.exitCode(), timedOut, outcome.duration().toMillis(), lines);
    }
}
