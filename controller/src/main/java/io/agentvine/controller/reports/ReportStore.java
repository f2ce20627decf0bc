package io.agentvine.controller.reports;

import io.agentvine.controller.reports.ReportRows.Daily;
import io.agentvine.controller.reports.ReportRows.FailureCount;
import io.agentvine.controller.reports.ReportRows.ModelPerformance;
import io.agentvine.controller.reports.ReportRows.TaskGroup;
import io.agentvine.controller.reports.ReportRows.WorkerEfficiency;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The reports' SQL over the attempt history ({@code task_attempts} alone: a run carries its task's type,
 * repository, model tier, model, creation time and state, and the instant it counts at — see
 * {@code V10__report_columns.sql}): plain JDBC, one statement per figure set, aggregated by the database.
 * Only what PostgreSQL and H2 (2.x, in PostgreSQL mode) both run: {@code PERCENTILE_CONT … WITHIN GROUP},
 * {@code EXTRACT(EPOCH FROM …)}, {@code AT TIME ZONE 'UTC'}.
 */
@Singleton
public class ReportStore {
    /** Outcomes of a run that neither completed nor failed: it was handed back, taken back, or stopped. */
    static final String NOT_A_FAILURE = "('completed', 'released', 'recovered', 'cancelled')";
    private static final String COMPLETED = "CASE WHEN a.outcome = 'completed' THEN 1 ELSE 0 END";
    private static final String FAILED_RUN = "a.outcome IS NOT NULL AND a.outcome NOT IN " + NOT_A_FAILURE;
    private static final String FAILED = "CASE WHEN " + FAILED_RUN + " THEN 1 ELSE 0 END";
    private static final String TOKENS = "(a.input_tokens + a.output_tokens + a.cache_read_tokens + a.cache_creation_tokens)";
    private static final String RUN_MS = "(CAST(EXTRACT(EPOCH FROM a.ended_at) AS DOUBLE PRECISION)"
            + " - CAST(EXTRACT(EPOCH FROM a.started_at) AS DOUBLE PRECISION)) * 1000";
    private static final String MODEL = "COALESCE(a.model, a.task_model)";

    private final DataSource db;

    /** The pool itself, not Micronaut Data's contextual proxy: a report needs no transaction. */
    public ReportStore(DataSource db) {
        this.db = DelegatingDataSource.unwrapDataSource(db);
    }

    /** The runs in the window, with the query's filters: {@code FROM … WHERE …} and its parameters. */
    private record Runs(String sql, List<Object> params) {
        static Runs of(ReportQuery q) {
            List<Object> p = new ArrayList<>();
            OffsetDateTime since = q.since().atOffset(ZoneOffset.UTC);
            OffsetDateTime until = q.until().atOffset(ZoneOffset.UTC);
            StringBuilder sql = new StringBuilder(" FROM task_attempts a WHERE a.reported_at >= ? AND a.reported_at < ?");
            p.addAll(List.of(since, until));
            if (q.type() != null) {
                sql.append(" AND a.task_type = ?");
                p.add(q.type());
            }
            if (q.repository() != null) {
                sql.append(" AND a.repository_url = ?");
                p.add(q.repository());
            }
            if (q.model() != null) {
                sql.append(" AND ").append(MODEL).append(" = ?");
                p.add(q.model());
            }
            return new Runs(sql.toString(), p);
        }
    }

    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, List<Object> params, RowReader<T> reader) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(reader.read(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("report query failed: " + e.getMessage(), e);
        }
    }

    // ---- workers -----------------------------------------------------------------------------------

    public List<WorkerEfficiency> workers(ReportQuery q) {
        Runs runs = Runs.of(q);
        Map<String, String> tiers = new HashMap<>();
        Map<String, Long> tierRuns = new HashMap<>();
        query("SELECT a.worker_id, a.model_tier, COUNT(*) AS n" + runs.sql() + " AND a.worker_id IS NOT NULL"
                + " GROUP BY a.worker_id, a.model_tier ORDER BY a.worker_id, n DESC, a.model_tier", runs.params(), rs -> {
                    String worker = rs.getString(1);
                    long n = rs.getLong(3);
                    if (n > tierRuns.getOrDefault(worker, -1L)) {
                        tierRuns.put(worker, n);
                        tiers.put(worker, rs.getString(2));
                    }
                    return null;
                });
        return query("SELECT a.worker_id, COUNT(*), SUM(a.cost_usd), SUM(" + TOKENS + "),"
                + " MAX(COALESCE(a.ended_at, a.started_at)), SUM(" + COMPLETED + "), SUM(" + FAILED + ")" + runs.sql()
                + " AND a.worker_id IS NOT NULL GROUP BY a.worker_id ORDER BY SUM(a.cost_usd) DESC, a.worker_id",
                runs.params(), rs -> {
                    String worker = rs.getString(1);
                    long calls = rs.getLong(2);
                    double cost = rs.getDouble(3);
                    long tokens = rs.getLong(4);
                    long completed = rs.getLong(6);
                    long failed = rs.getLong(7);
                    return new WorkerEfficiency(worker, calls, cost, tokens, cost / calls, (double) tokens / calls,
                            cost > 0 ? tokens / cost : null, instant(rs, 5), tiers.get(worker), completed, failed,
                            ratio(completed, completed + failed));
                });
    }

    // ---- models ------------------------------------------------------------------------------------

    public List<ModelPerformance> models(ReportQuery q) {
        Runs runs = Runs.of(q);
        return query("SELECT " + MODEL + ", COUNT(*), SUM(" + TOKENS + "), SUM(a.cost_usd), AVG(CASE WHEN a.ended_at IS NOT NULL"
                + " THEN " + RUN_MS + " END), SUM(a.cache_read_tokens), SUM(a.input_tokens), SUM(" + COMPLETED + "), SUM("
                + FAILED + ")" + runs.sql() + " GROUP BY " + MODEL + " ORDER BY SUM(a.cost_usd) DESC, " + MODEL,
                runs.params(), rs -> {
                    long tokens = rs.getLong(3);
                    double cost = rs.getDouble(4);
                    long cacheRead = rs.getLong(6);
                    long input = rs.getLong(7);
                    long completed = rs.getLong(8);
                    long failed = rs.getLong(9);
                    return new ModelPerformance(rs.getString(1), rs.getLong(2), tokens, cost,
                            tokens > 0 ? cost * 1000 / tokens : null, nullableDouble(rs, 5),
                            input > 0 ? (double) cacheRead / input : null, completed, failed,
                            ratio(completed, completed + failed), completed > 0 ? cost / completed : null);
                });
    }

    // ---- task types and repositories -----------------------------------------------------------------

    /** By task type ({@code byRepository} false) or by repository. */
    public List<TaskGroup> groups(ReportQuery q, boolean byRepository) {
        String key = byRepository ? "a.repository_url" : "a.task_type";
        Runs runs = Runs.of(q);
        // Queue wait: a task created in the window, from its creation to the start of its first run.
        Map<String, double[]> waits = new HashMap<>();
        List<Object> waitParams = new ArrayList<>(runs.params());
        waitParams.add(q.since().atOffset(ZoneOffset.UTC));
        waitParams.add(q.until().atOffset(ZoneOffset.UTC));
        query("SELECT k, PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY w), PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY w)"
                + " FROM (SELECT " + key + " AS k, (MIN(CAST(EXTRACT(EPOCH FROM a.started_at) AS DOUBLE PRECISION))"
                + " - CAST(EXTRACT(EPOCH FROM a.task_created_at) AS DOUBLE PRECISION)) * 1000 AS w" + runs.sql()
                + " AND a.started_at IS NOT NULL AND a.task_created_at >= ? AND a.task_created_at < ?"
                + " GROUP BY " + key + ", a.task_id, a.task_created_at) f"
                + " GROUP BY k", waitParams, rs -> waits.put(rs.getString(1), new double[]{rs.getDouble(2), rs.getDouble(3)}));
        Map<String, List<FailureCount>> failures = new HashMap<>();
        query("SELECT " + key + ", a.outcome, COUNT(*) AS n" + runs.sql() + " AND " + FAILED_RUN + " GROUP BY " + key + ", a.outcome ORDER BY " + key + ", n DESC, a.outcome",
                runs.params(), rs -> {
                    List<FailureCount> top = failures.computeIfAbsent(rs.getString(1), k -> new ArrayList<>());
                    if (top.size() < 3) {
                        top.add(new FailureCount(rs.getString(2), rs.getLong(3)));
                    }
                    return null;
                });
        return query("SELECT " + key + ", COUNT(DISTINCT a.task_id),"
                + " COUNT(DISTINCT CASE WHEN a.task_state = 'completed' THEN a.task_id END),"
                + " COUNT(DISTINCT CASE WHEN a.task_state IN ('failed', 'dead') THEN a.task_id END), COUNT(*), SUM(a.cost_usd),"
                + " PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY " + RUN_MS + "),"
                + " PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY " + RUN_MS + "),"
                + " COUNT(DISTINCT CASE WHEN a.attempt > 1 THEN a.task_id || ':' || CAST(a.attempt AS VARCHAR(12)) END),"
                + " SUM(CASE WHEN a.outcome IN ('released', 'recovered') THEN 1 ELSE 0 END)" + runs.sql()
                + " GROUP BY " + key + " ORDER BY SUM(a.cost_usd) DESC, " + key, runs.params(), rs -> {
                    String k = rs.getString(1);
                    long completed = rs.getLong(3);
                    long failed = rs.getLong(4);
                    double cost = rs.getDouble(6);
                    double[] wait = waits.get(k);
                    return new TaskGroup(byRepository ? null : k, byRepository ? k : null, rs.getLong(2), completed, failed,
                            ratio(completed, completed + failed), rs.getLong(5), cost, completed > 0 ? cost / completed : null,
                            wait == null ? null : wait[0], wait == null ? null : wait[1], nullableDouble(rs, 7),
                            nullableDouble(rs, 8), rs.getLong(9), rs.getLong(10), failures.getOrDefault(k, List.of()));
                });
    }

    // ---- daily ---------------------------------------------------------------------------------------

    public List<Daily> daily(ReportQuery q) {
        Runs runs = Runs.of(q);
        String day = "CAST(a.reported_at AT TIME ZONE 'UTC' AS DATE)";
        return query("SELECT " + day + ", a.task_type, SUM(a.cost_usd), COUNT(DISTINCT a.task_id), COUNT(*), SUM(" + COMPLETED + ")"
                + runs.sql() + " GROUP BY " + day + ", a.task_type ORDER BY 1, a.task_type", runs.params(),
                rs -> new Daily(rs.getObject(1, LocalDate.class), rs.getString(2), rs.getDouble(3), rs.getLong(4),
                        rs.getLong(5), rs.getLong(6)));
    }

    // ---- values --------------------------------------------------------------------------------------

    private static Double ratio(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }

    private static Double nullableDouble(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
