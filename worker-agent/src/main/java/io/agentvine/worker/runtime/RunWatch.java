package io.agentvine.worker.runtime;

import io.agentvine.model.Budget;
import io.agentvine.worker.agent.output.AgentUsage;
import io.agentvine.worker.agent.output.OutputParser;
import io.agentvine.worker.process.LineListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Watches one agent run's output: feeds every line to the adapter's parser, forwards its progress
 * messages, and stops the run itself when the cost or turns seen so far pass the order's budget
 * (CLIs overshoot their own limits by a call) or when the agent has printed nothing for the stall
 * time ({@link #checkStall}, called by the lease loop).
 */
final class RunWatch implements LineListener {
    static final int TAIL_LINES = 200;

    private final OutputParser parser;
    private final Budget budget;
    private final Duration stallTimeout;
    private final Clock clock;
    private final Consumer<String> progress;
    private final BiConsumer<ActiveRun.Stop, String> stop;
    private final Deque<String> stdoutTail = new ArrayDeque<>();
    private volatile Instant lastOutput;
    private volatile String stopMessage;
    private AgentUsage reported = AgentUsage.NONE;

    RunWatch(OutputParser parser, Budget budget, Duration stallTimeout, Clock clock, Consumer<String> progress,
             BiConsumer<ActiveRun.Stop, String> stop) {
        this.parser = parser;
        this.budget = budget;
        this.stallTimeout = stallTimeout;
        this.clock = clock;
        this.progress = progress;
        this.stop = stop;
        this.lastOutput = clock.instant();
    }

    @Override
    public void onLine(Stream stream, String line) {
        lastOutput = clock.instant();
        if (stream == Stream.STDOUT) {
            synchronized (stdoutTail) {
                stdoutTail.addLast(line);
                if (stdoutTail.size() > TAIL_LINES) {
                    stdoutTail.removeFirst();
                }
            }
        }
        Optional<String> message;
        try {
            message = parser.line(stream == Stream.STDOUT ? "stdout" : "stderr", line);
        } catch (RuntimeException e) {
            message = Optional.of(line); // a parser bug must not cost the run
        }
        message.ifPresent(progress);
        checkBudget();
    }

    private void checkBudget() {
        AgentUsage u = parser.usage();
        if (budget.maxCostUsd() != null && u.costUsd() != null && u.costUsd() > budget.maxCostUsd()) {
            stopOnce(ActiveRun.Stop.BUDGET_EXCEEDED, String.format(Locale.ROOT, "cost $%.4f passed the budget of $%.4f",
                    u.costUsd(), budget.maxCostUsd()));
        } else if (budget.maxTurns() != null && u.turns() > budget.maxTurns()) {
            stopOnce(ActiveRun.Stop.BUDGET_EXCEEDED, u.turns() + " turns passed the budget of " + budget.maxTurns());
        }
    }

    /** Restarts the stall clock (an answer to the agent's question has just arrived). */
    void touch() {
        lastOutput = clock.instant();
    }

    /** Stops the run when it has been silent for the stall time; true if it did. */
    boolean checkStall(Instant now) {
        Duration silent = Duration.between(lastOutput, now);
        if (silent.compareTo(stallTimeout) >= 0) {
            stopOnce(ActiveRun.Stop.STALLED, "no output for " + silent.toSeconds() + " s (stall limit " + stallTimeout.toSeconds() + " s)");
            return true;
        }
        return false;
    }

    private void stopOnce(ActiveRun.Stop why, String message) {
        if (stopMessage == null) {
            stopMessage = message;
            stop.accept(why, message);
        }
    }

    /** Why the watch stopped the run, if it did. */
    Optional<String> stopMessage() {
        return Optional.ofNullable(stopMessage);
    }

    OutputParser parser() {
        return parser;
    }

    AgentUsage usage() {
        return parser.usage();
    }

    /** The usage since the last call, for incremental usage events (the controller adds them up). */
    synchronized AgentUsage takeDelta() {
        AgentUsage now = parser.usage();
        AgentUsage delta = now.minus(reported);
        reported = now;
        return delta;
    }

    List<String> stdoutTail() {
        synchronized (stdoutTail) {
            return List.copyOf(stdoutTail);
        }
    }
}
