package io.agentvine.controller.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.agentvine.model.Json;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Reads and writes heartbeats, the controller's most frequent statements, on a small pool of its own
 * (same database settings as the default datasource), in batches ({@code HeartbeatBuffer}). On
 * PostgreSQL its connections commit without waiting for the WAL flush ({@code synchronous_commit =
 * off}): a database crash may lose the last fraction of a second of heartbeat timestamps — harmless,
 * the next beat rewrites them (docs/performance.md). Tasks, attempts and lifecycle events go through
 * the default pool and keep synchronous commits.
 */
@Singleton
public class HeartbeatWriter {
    private static final String ACCESS = "SELECT owner_key, deregistered_at, command, health, status FROM workers WHERE id = ?";

    private final HikariDataSource pool;

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
                        rs.getString(3), rs.getString(4), rs.getString(5)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read worker " + id, e);
        }
    }

    /**
     * One heartbeat's write; {@code seenCommand → newCommand} is applied only if the row still has {@code seenCommand}.
     * {@code steps} are the steps of its runs to record (those not known to be recorded already).
     */
    public record Beat(String id, String status, String currentTasks, String metrics, String metadata, Instant at,
                       String seenCommand, String newCommand, List<Step> steps) {
        public Beat {
            steps = List.copyOf(steps);
        }
    }

    /** A run's step as its worker's heartbeat reports it: task, attempt, step (wire name) and since when. */
    public record Step(String taskId, int attempt, String step, Instant since) {
    }

    // Only the holder's current attempt, only while it runs, and only a later step than the one recorded
    // (a step_changed event may have brought it, or a later one, first): a stale beat changes nothing.
    private static final String STEP_UPDATE = "UPDATE tasks SET step = ?, step_since = ? WHERE id = ? AND worker_id = ? "
            + "AND attempts = ? AND state IN ('running', 'awaiting_approval') AND (step_since IS NULL OR step_since < ?)";
    private static final String STEP_EVENT = "INSERT INTO events (type, task_id, worker_id, payload, created_at) "
            + "VALUES (?, ?, ?, ?, ?)";

    private static final String BATCH_UPDATE = "UPDATE workers SET status = ?, current_tasks = ?, "
            + "metrics = COALESCE(?, metrics), metadata = ?, last_heartbeat_at = ?, "
            + "command = CASE WHEN command = ? THEN ? ELSE command END WHERE id = ? AND deregistered_at IS NULL";

    /** Writes many heartbeats in one JDBC batch (one round trip, one asynchronous commit on PostgreSQL). */
    public void write(Collection<Beat> beats) {
        if (beats.isEmpty()) {
            return;
        }
        try (Connection conn = pool.getConnection(); PreparedStatement ps = conn.prepareStatement(BATCH_UPDATE)) {
            conn.setAutoCommit(false);
            for (Beat b : beats) {
                int i = 0;
                ps.setString(++i, b.status());
                ps.setString(++i, b.currentTasks());
                ps.setString(++i, b.metrics());
                ps.setString(++i, b.metadata());
                ps.setObject(++i, OffsetDateTime.ofInstant(b.at(), ZoneOffset.UTC));
                ps.setString(++i, b.seenCommand());
                ps.setString(++i, b.newCommand());
                ps.setString(++i, b.id());
                ps.addBatch();
            }
            ps.executeBatch();
            conn.commit();
            writeSteps(conn, beats);
            conn.setAutoCommit(true);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write " + beats.size() + " heartbeats", e);
        }
    }

    /**
     * The beats' steps, in a transaction of their own after the workers' rows are committed (the lifecycle
     * applier locks a task and then its worker: this one never holds a worker's row while it waits for a task's),
     * tasks in id order; a {@code task_step} event for each step that changed a row. Nothing when no beat
     * brings a step the buffer has not written yet: the usual beat costs no statement here.
     */
    private void writeSteps(Connection conn, Collection<Beat> beats) throws SQLException {
        List<Step> steps = new ArrayList<>();
        List<Beat> holders = new ArrayList<>();
        beats.stream().sorted(Comparator.comparing(Beat::id)).forEach(b -> b.steps().forEach(s -> {
            steps.add(s);
            holders.add(b);
        }));
        if (steps.isEmpty()) {
            return;
        }
        int[] changed;
        try (PreparedStatement ps = conn.prepareStatement(STEP_UPDATE)) {
            for (int n = 0; n < steps.size(); n++) {
                Step s = steps.get(n);
                OffsetDateTime since = OffsetDateTime.ofInstant(TaskSteps.stored(s.since()), ZoneOffset.UTC);
                ps.setString(1, s.step());
                ps.setObject(2, since);
                ps.setString(3, s.taskId());
                ps.setString(4, holders.get(n).id());
                ps.setInt(5, s.attempt());
                ps.setObject(6, since);
                ps.addBatch();
            }
            changed = ps.executeBatch();
        }
        try (PreparedStatement ps = conn.prepareStatement(STEP_EVENT)) {
            boolean any = false;
            for (int n = 0; n < steps.size(); n++) {
                if (changed[n] > 0) {
                    Step s = steps.get(n);
                    ps.setString(1, TaskSteps.EVENT);
                    ps.setString(2, s.taskId());
                    ps.setString(3, holders.get(n).id());
                    ps.setString(4, Json.write(TaskSteps.payload(s.taskId(), holders.get(n).id(), s.attempt(), s.step(),
                            TaskSteps.stored(s.since()))));
                    ps.setObject(5, OffsetDateTime.ofInstant(holders.get(n).at(), ZoneOffset.UTC));
                    ps.addBatch();
                    any = true;
                }
            }
            if (any) {
                ps.executeBatch();
            }
        }
        conn.commit();
    }

    @PreDestroy
    void close() {
        pool.close();
    }
}
