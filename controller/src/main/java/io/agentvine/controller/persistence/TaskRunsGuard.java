package io.agentvine.controller.persistence;

import java.util.function.Supplier;

/**
 * What must follow every change of a task's runs ({@code task_attempts}), done around the change in its
 * transaction: the reports' rollups ({@code reports.RunRollups}, the one implementation) take the task's runs out
 * before and put them back after. Defined here so that {@link TaskStore} depends on no service.
 */
public interface TaskRunsGuard {
    /** Runs {@code change} of task {@code taskId}'s runs with what must follow it; returns its result. */
    <T> T around(String taskId, Supplier<T> change);
}
