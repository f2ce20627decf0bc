package io.agentvine.controller;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/**
 * Writes tasks and their runs straight into the database, as the controller stores them, for tests of
 * the reports and the pages that show them (times as ISO-8601 strings, UTC).
 */
public final class AttemptHistory {
    private final DataSource db;

    public AttemptHistory(DataSource db) {
        this.db = DelegatingDataSource.unwrapDataSource(db);
    }

    public void task(String id, String type, String repository, String tier, String model, String state, String created)
            throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO tasks (id, type, state,"
                + " priority, queue_level, repository_url, title, permission_level, model_tier, model, routing_reason, work_order,"
                + " attempts, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, cost_usd, created_at, updated_at)"
                + " VALUES (?, ?, ?, 'P2', 'default', ?, 'fixture', 'autonomous', ?, ?, 'fixture', '{}', 1, 0, 0, 0, 0, 0, ?, ?)")) {
            OffsetDateTime at = OffsetDateTime.parse(created).withOffsetSameInstant(ZoneOffset.UTC);
            ps.setString(1, id);
            ps.setString(2, type);
            ps.setString(3, state);
            ps.setString(4, repository);
            ps.setString(5, tier);
            ps.setString(6, model);
            ps.setObject(7, at);
            ps.setObject(8, at);
            ps.executeUpdate();
        }
    }

    /** One run of a task's attempt; {@code started}, {@code ended} and {@code outcome} may be null. */
    public void run(String task, int attempt, String worker, String model, String started, String ended, String outcome,
                    long in, long out, long cacheRead, long cacheCreation, double cost) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO task_attempts (task_id,"
                + " attempt, worker_id, model, started_at, ended_at, outcome, input_tokens, output_tokens, cache_read_tokens,"
                + " cache_creation_tokens, cost_usd) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, task);
            ps.setInt(2, attempt);
            ps.setString(3, worker);
            ps.setString(4, model);
            ps.setObject(5, started == null ? null : OffsetDateTime.parse(started), java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
            ps.setObject(6, ended == null ? null : OffsetDateTime.parse(ended), java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
            ps.setString(7, outcome);
            ps.setLong(8, in);
            ps.setLong(9, out);
            ps.setLong(10, cacheRead);
            ps.setLong(11, cacheCreation);
            ps.setDouble(12, cost);
            ps.executeUpdate();
        }
    }
}
