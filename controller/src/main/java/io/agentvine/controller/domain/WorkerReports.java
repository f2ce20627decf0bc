package io.agentvine.controller.domain;

/**
 * How far the workers' reports (the lifecycle stream) are applied to the database: asked before a task whose order is
 * missing from Redis is taken for one whose order was lost rather than one a worker ran ({@link Disagreements}).
 * Implemented by the lifecycle consumer.
 */
public interface WorkerReports {
    /** A mark: the last report written so far ("0-0" when none waits). */
    String lastWritten();

    /** Has every report up to {@code mark} been applied and committed? */
    boolean appliedThrough(String mark);
}
