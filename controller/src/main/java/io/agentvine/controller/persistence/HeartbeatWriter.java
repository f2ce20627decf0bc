package io.agentvine.controller.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;

/**
 * Reads and writes heartbeats, the controller's most frequent statements, on a small pool of its own
 * (same database settings as the default datasource). On PostgreSQL its connections commit without
 * waiting for the WAL flush ({@code synchronous_commit = off}): a database crash may lose the last
 * fraction of a second of heartbeat timestamps — harmless, the next beat rewrites them — and a beat
 * no longer waits for a disk flush (docs/performance.md). Tasks, attempts and lifecycle events go
 * through the default pool and keep synchronous commits.
 */
@Singleton
public class HeartbeatWriter {
    private static final String ACCESS = "SELECT owner_key, deregistered_at, command, health FROM workers WHERE id = ?";
    /**
     * A pending command is done once the worker reports the status it asked for (pause → paused,
     * resume → idle or busy, drain → draining or stopping); this CASE is that table.
     */
    private static final String NEXT_COMMAND = "CASE WHEN (command = 'pause' AND ? = 'paused') "
            + "OR (command = 'resume' AND ? IN ('idle', 'busy')) OR (command = 'drain' AND ? IN ('draining', 'stopping')) "
            + "THEN 'none' ELSE command END";
    private static final String UPDATE = "UPDATE workers SET status = ?, current_tasks = ?, metrics = COALESCE(?, metrics), "
            + "metadata = ?, last_heartbeat_at = ?, command = " + NEXT_COMMAND
            + " WHERE id = ? AND deregistered_at IS NULL AND (? OR owner_key = ?)";
    private static final String COMMAND = "SELECT command FROM workers WHERE id = ?";

    private final HikariDataSource pool;
    private final boolean postgres;

    public HeartbeatWriter(@Value("${datasources.default.url}") String url,
                           @Value("${datasources.default.username:}") String user,
                           @Value("${datasources.default.password:}") String password,
                           @Value("${datasources.default.driver-class-name:}") String driver,
                           @Value("${agentvine.heartbeat-pool-size:4}") int size) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("heartbeats");
        c.setJdbcUrl(url);
        c.setUsername(user);
        c.setPassword(password);
        if (!driver.isBlank()) {
            c.setDriverClassName(driver);
        }
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(1);
        c.setAutoCommit(true);
        if (url.startsWith("jdbc:postgresql:")) {
            c.setConnectionInitSql("SET synchronous_commit TO OFF");
        }
        this.pool = new HikariDataSource(c);
        this.postgres = url.startsWith("jdbc:postgresql:");
    }

    public Optional<WorkerAccess> access(String id) {
        try (Connection conn = pool.getConnection(); PreparedStatement ps = conn.prepareStatement(ACCESS)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp dereg = rs.getTimestamp(2);
                return Optional.of(new WorkerAccess(rs.getString(1), dereg == null ? null : dereg.toInstant(),
                        rs.getString(3), rs.getString(4)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read worker " + id, e);
        }
    }

    /**
     * Records a heartbeat of a live worker the caller owns (an admin owns all) and returns its pending
     * command; empty when no such worker took the beat (unknown, offline or not the caller's: the
     * caller finds out which with {@link #access}). One statement on PostgreSQL ({@code RETURNING}).
     */
    public Optional<String> record(String id, boolean admin, String ownerKey, String status, String currentTasks,
                                   String metrics, String metadata, java.time.Instant at) {
        String sql = postgres ? UPDATE + " RETURNING command" : UPDATE;
        try (Connection conn = pool.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            int i = 0;
            ps.setString(++i, status);
            ps.setString(++i, currentTasks);
            ps.setString(++i, metrics);
            ps.setString(++i, metadata);
            ps.setObject(++i, java.time.OffsetDateTime.ofInstant(at, java.time.ZoneOffset.UTC));
            ps.setString(++i, status);
            ps.setString(++i, status);
            ps.setString(++i, status);
            ps.setString(++i, id);
            ps.setBoolean(++i, admin);
            ps.setString(++i, ownerKey);
            if (postgres) {
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
            if (ps.executeUpdate() == 0) {
                return Optional.empty();
            }
            try (PreparedStatement q = conn.prepareStatement(COMMAND)) {
                q.setString(1, id);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record heartbeat of " + id, e);
        }
    }

    @PreDestroy
    void close() {
        pool.close();
    }
}
