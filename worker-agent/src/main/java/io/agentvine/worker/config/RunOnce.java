package io.agentvine.worker.config;

import java.time.Duration;

/**
 * One order, then exit: a worker started with {@code --once} (or {@code AGENTVINE_ONCE=true}) claims a
 * single order, runs it, reports it and exits 0 — what a Kubernetes Job started per waiting order
 * (KEDA's ScaledJob) wants. One that finds no order within {@code idleExit}
 * ({@code AGENTVINE_ONCE_IDLE_EXIT}, another pod took it) exits 0 too.
 *
 * @param enabled  whether the worker runs one order only
 * @param idleExit how long it waits for its order before it gives up
 */
public record RunOnce(boolean enabled, Duration idleExit) {
    public static final Duration DEFAULT_IDLE_EXIT = Duration.ofMinutes(2);
    public static final RunOnce OFF = new RunOnce(false, DEFAULT_IDLE_EXIT);
    public static final String ARGUMENT = "--once";
    public static final String VARIABLE = "AGENTVINE_ONCE";
    public static final String IDLE_EXIT_VARIABLE = "AGENTVINE_ONCE_IDLE_EXIT";

    /** Reads the two variables; a problem is reported naming the variable. */
    static RunOnce read(Settings s) {
        boolean enabled = s.bool(VARIABLE, false);
        Duration idle = s.duration(IDLE_EXIT_VARIABLE, DEFAULT_IDLE_EXIT);
        if (idle.toMillis() < 1000) {
            s.problem(IDLE_EXIT_VARIABLE + ": must be at least 1s, was " + idle.toMillis() + "ms");
            idle = DEFAULT_IDLE_EXIT;
        }
        return new RunOnce(enabled, idle);
    }
}
