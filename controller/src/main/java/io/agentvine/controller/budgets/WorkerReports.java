package io.agentvine.controller.budgets;

/**
 * How far the workers' reports (the lifecycle stream) are applied to the database: what {@link BudgetEnforcer} asks
 * before it takes a queued task whose order is missing from Redis for one a dead pass took out rather than one a
 * worker ran. Implemented by the lifecycle consumer.
 */
public interface WorkerReports {
    /** A mark: the last report written so far ("0-0" when none waits). */
    String lastWritten();

    /** Has every report up to {@code mark} been applied and committed? */
    boolean appliedThrough(String mark);
}
