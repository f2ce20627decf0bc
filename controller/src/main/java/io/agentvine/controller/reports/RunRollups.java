package io.agentvine.controller.reports;

import io.agentvine.controller.persistence.TaskRunsGuard;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Keeps the reports' rollups ({@link Rollups}) equal to the runs: whatever changes a task's runs — a run written
 * or ended, its usage, its task's state copied onto it — runs inside {@link #around}, which, in the change's own
 * transaction and under the task's row lock, takes the task's runs out of every rollup before the change and puts
 * them back after it (subtract old, add new). Nested calls for the same task on the same thread (a lifecycle
 * event that also changes its task's state) move the runs once, around the outermost.
 */
@Singleton
public class RunRollups implements TaskRunsGuard {
    private static final ThreadLocal<Map<String, Integer>> DEPTH = ThreadLocal.withInitial(HashMap::new);

    private final JdbcOperations jdbc;

    public RunRollups(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** Runs {@code change} of task {@code taskId}'s runs with the rollups moved around it; returns its result. */
    @Override
    @Transactional
    public <T> T around(String taskId, Supplier<T> change) {
        Map<String, Integer> depth = DEPTH.get();
        boolean outermost = depth.merge(taskId, 1, Integer::sum) == 1;
        try {
            if (outermost) {
                move(taskId, -1);
            }
            T result = change.get();
            if (outermost) {
                move(taskId, 1);
            }
            return result;
        } finally {
            if (depth.merge(taskId, -1, Integer::sum) == 0) {
                depth.remove(taskId);
            }
        }
    }

    /** {@link #around} for a change without a result. */
    @Transactional
    public void around(String taskId, Runnable change) {
        around(taskId, () -> {
            change.run();
            return null;
        });
    }

    private void move(String taskId, int sign) {
        jdbc.execute(c -> {
            if (sign == -1) {
                try (PreparedStatement lock = c.prepareStatement("SELECT id FROM tasks WHERE id = ? FOR UPDATE")) {
                    lock.setString(1, taskId);
                    lock.executeQuery().close();
                }
            }
            Rollups.move(c, taskId, sign);
            return null;
        });
    }
}
