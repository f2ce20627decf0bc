package io.agentvine.controller;

import io.agentvine.controller.reports.Rollups;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/**
 * Writes tasks and their runs straight into the database, as the controller stores them, for tests of
 * the reports and the pages that show them (times as ISO-8601 strings, UTC). A run copies its task's
 * type, repository, model tier, model, state and creation time, and counts at its start, else its end,
 * as {@code AttemptAccounting} writes it (V10__report_columns.sql), and moves the reports' rollups as the
 * controller does ({@link Rollups#move}: the task's runs out before the insert, back in after it).
 */
public final class AttemptHistory {
    private final DataSource db;

    public AttemptHistory(DataSource db) {
        this.db = DelegatingDataSource.unwrapDataSource(db);
    }

    public void task(String id, String type, String repository, String tier, String model, String state, String created)
            throws SQLException {
        try (Connection c = db.getConnection()) {
            FixtureTasks.insert(c, id, type, repository, tier, model, state,
                    OffsetDateTime.parse(created).withOffsetSameInstant(ZoneOffset.UTC));
        }
    }

    /** One run of a task's attempt; {@code started}, {@code ended} and {@code outcome} may be null. */
    public void run(String task, int attempt, String worker, String model, String started, String ended, String outcome,
                    long in, long out, long cacheRead, long cacheCreation, double cost) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement read = c.prepareStatement("SELECT type, repository_url, model_tier, model, state, created_at"
                     + " FROM tasks WHERE id = ?");
             PreparedStatement ps = c.prepareStatement("INSERT INTO task_attempts (task_id, attempt, worker_id, model, started_at,"
                     + " ended_at, outcome, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, cost_usd,"
                     + " task_type, repository_url, model_tier, task_model, task_state, task_created_at, reported_at)"
                     + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            read.setString(1, task);
            try (ResultSet t = read.executeQuery()) {
                if (!t.next()) {
                    throw new IllegalArgumentException("no task " + task + ": write it first");
                }
                FixtureTasks.bind(ps, task, attempt, worker, model, timestamp(started), timestamp(ended), outcome, in, out,
                        cacheRead, cacheCreation, cost, t.getString(1), t.getString(2), t.getString(3), t.getString(4),
                        t.getString(5), t.getObject(6, OffsetDateTime.class), timestamp(started != null ? started : ended));
            }
            Rollups.move(c, task, -1);
            ps.executeUpdate();
            Rollups.move(c, task, 1);
        }
    }

    private static OffsetDateTime timestamp(String instant) {
        return instant == null ? null : OffsetDateTime.parse(instant);
    }
}
