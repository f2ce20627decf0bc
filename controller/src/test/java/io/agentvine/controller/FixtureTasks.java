package io.agentvine.controller;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/** A task row (and any row) written straight into the database, for fixtures of the attempt history (reports, migrations). */
final class FixtureTasks {
    private FixtureTasks() {
    }

    static void insert(Connection c, String id, String type, String repository, String tier, String model, String state,
                       OffsetDateTime created) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO tasks (id, type, state, priority, queue_level, repository_url,"
                + " title, permission_level, model_tier, model, routing_reason, work_order, attempts, input_tokens, output_tokens,"
                + " cache_read_tokens, cache_creation_tokens, cost_usd, created_at, updated_at)"
                + " VALUES (?, ?, ?, 'P2', 'default', ?, 'fixture', 'autonomous', ?, ?, 'fixture', '{}', 1, 0, 0, 0, 0, 0, ?, ?)")) {
            bind(ps, id, type, state, repository, tier, model, created, created).executeUpdate();
        }
    }

    /** Binds {@code values} in order (a null as SQL NULL). */
    static PreparedStatement bind(PreparedStatement ps, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            ps.setObject(i + 1, values[i]);
        }
        return ps;
    }
}
