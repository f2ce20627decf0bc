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
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The reports' SQL over the attempt history: each report reads its rollup ({@link Rollups}) for the whole UTC
 * buckets of its window and {@code task_attempts} (a run carries its task's type, repository, model tier, model,
 * creation time and state, and the instant it counts at — V10__report_columns.sql) for the window's partial edges,
 * both added up by the same definitions; a filter the rollup is not keyed by makes it read raw runs only. Plain
 * JDBC, one statement per figure set, aggregated by the database; what only adds up in Java (a worker's tier, the
 * top failure reasons, percentiles from histograms) is finished here. Only what PostgreSQL and H2 (2.x, in
 * PostgreSQL mode) both run.
 */
@Singleton
public class ReportStore {
    private static final int TOP_FAILURES = 3;

    private final DataSource db;

    /** The pool itself, not Micronaut Data's contextual proxy: a report needs no transaction. */
    public ReportStore(DataSource db) {
        this.db = DelegatingDataSource.unwrapDataSource(db);
    }

    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /**
     * Runs one report statement. On PostgreSQL without JIT compilation ({@code SET LOCAL jit = off}, in a read-only
     * transaction of its own): the statements add up 140-odd columns, which PostgreSQL's cost estimate sends to JIT
     * compilation, and compiling them costs seconds where running them costs milliseconds.
     */
    private <T> List<T> query(Rollups.Sql sql, RowReader<T> reader) {
        try (Connection c = db.getConnection()) {
            boolean postgres = Rollups.postgres(c);
            if (postgres) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.execute("SET LOCAL jit = off");
                }
            }
            try (PreparedStatement ps = c.prepareStatement(sql.sql())) {
                for (int i = 0; i < sql.params().size(); i++) {
                    ps.setObject(i + 1, sql.params().get(i));
                }
                List<T> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(reader.read(rs));
                    }
                }
                return rows;
            } finally {
                if (postgres) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("report query failed: " + e.getMessage(), e);
        }
    }

    // ---- workers -----------------------------------------------------------------------------------

    /** A worker's figures for one model tier, then added up over its tiers. */
    private static final class WorkerSums {
        long calls;
        double cost;
        long tokens;
        Instant lastActive;
        long completed;
        long failed;
        String tier;
        long tierCalls = -1;
    }

    public List<WorkerEfficiency> workers(ReportQuery q) {
        Map<String, WorkerSums> byWorker = new LinkedHashMap<>();
        // columns: worker, tier, runs, cost_usd, tokens, last_active, completed, failed
        query(Rollups.read(Rollups.WORKERS, q, List.of("u.worker_id", "u.model_tier")), rs -> {
            WorkerSums w = byWorker.computeIfAbsent(rs.getString(1), k -> new WorkerSums());
            String tier = rs.getString(2);
            long calls = rs.getLong(3);
            w.calls += calls;
            w.cost += rs.getDouble(4);
            w.tokens += rs.getLong(5);
            Instant last = instant(rs, 6);
            if (last != null && (w.lastActive == null || last.isAfter(w.lastActive))) {
                w.lastActive = last;
            }
            w.completed += rs.getLong(7);
            w.failed += rs.getLong(8);
            // the tier most of its runs asked for; on a tie, the first by name
            if (calls > w.tierCalls || (calls == w.tierCalls && tier.compareTo(w.tier) < 0)) {
                w.tier = tier;
                w.tierCalls = calls;
            }
            return null;
        });
        List<WorkerEfficiency> rows = new ArrayList<>();
        byWorker.forEach((worker, w) -> rows.add(new WorkerEfficiency(worker, w.calls, w.cost, w.tokens, w.cost / w.calls,
                (double) w.tokens / w.calls, w.cost > 0 ? w.tokens / w.cost : null, w.lastActive, w.tier, w.completed,
                w.failed, ratio(w.completed, w.completed + w.failed))));
        rows.sort(Comparator.comparingDouble(WorkerEfficiency::totalCostUsd).reversed()
                .thenComparing(WorkerEfficiency::workerId));
        return rows;
    }

    // ---- models ------------------------------------------------------------------------------------

    public List<ModelPerformance> models(ReportQuery q) {
        // columns: model, runs, tokens, cost_usd, latency_ms, latency_runs, cache_read_tokens, input_tokens, completed, failed
        List<ModelPerformance> rows = query(Rollups.read(Rollups.MODELS, q, List.of("u.model")), rs -> {
            long tokens = rs.getLong(3);
            double cost = rs.getDouble(4);
            long latencyRuns = rs.getLong(6);
            long cacheRead = rs.getLong(7);
            long input = rs.getLong(8);
            long completed = rs.getLong(9);
            long failed = rs.getLong(10);
            return new ModelPerformance(rs.getString(1), rs.getLong(2), tokens, cost,
                    tokens > 0 ? cost * 1000 / tokens : null, latencyRuns > 0 ? rs.getDouble(5) / latencyRuns : null,
                    input > 0 ? (double) cacheRead / input : null, completed, failed,
                    ratio(completed, completed + failed), completed > 0 ? cost / completed : null);
        });
        rows.sort(Comparator.comparingDouble(ModelPerformance::totalCostUsd).reversed().thenComparing(ModelPerformance::model));
        return rows;
    }

    // ---- task types and repositories -----------------------------------------------------------------

    /** By task type ({@code byRepository} false) or by repository. */
    public List<TaskGroup> groups(ReportQuery q, boolean byRepository) {
        String key = byRepository ? "u.repository_url" : "u.task_type";
        Map<String, List<FailureCount>> failures = new HashMap<>();
        query(Rollups.read(byRepository ? Rollups.REPOSITORY_FAILURES : Rollups.TYPE_FAILURES, q, List.of(key, "u.outcome")), rs -> failures
                .computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new FailureCount(rs.getString(2), rs.getLong(3))));
        failures.values().forEach(list -> {
            list.sort(Comparator.comparingLong(FailureCount::count).reversed().thenComparing(FailureCount::reason));
            if (list.size() > TOP_FAILURES) {
                list.subList(TOP_FAILURES, list.size()).clear();
            }
        });
        // by repository: a rollup keyed by repository alone unless the report is filtered by type
        Rollups.Rollup rollup = !byRepository ? Rollups.TYPES
                : q.type() == null ? Rollups.REPOSITORY_TOTALS : Rollups.REPOSITORIES;
        int runTime = 2 + rollup.measureIndex("rt0");
        int queueWait = 2 + rollup.measureIndex("qw0");
        // columns: key, runs, tasks, tasks_completed, tasks_failed, cost_usd, completed_runs, retries, reruns, rt0…, qw0…
        List<TaskGroup> rows = query(Rollups.read(rollup, q, List.of(key)), rs -> {
            String k = rs.getString(1);
            long completed = rs.getLong(4);
            long failed = rs.getLong(5);
            double cost = rs.getDouble(6);
            long[] run = histogram(rs, runTime);
            long[] wait = histogram(rs, queueWait);
            return new TaskGroup(byRepository ? null : k, byRepository ? k : null, rs.getLong(3), completed, failed,
                    ratio(completed, completed + failed), rs.getLong(2), cost, completed > 0 ? cost / completed : null,
                    Rollups.percentile(wait, 0.5), Rollups.percentile(wait, 0.95), Rollups.percentile(run, 0.5),
                    Rollups.percentile(run, 0.95), rs.getLong(8), rs.getLong(9), failures.getOrDefault(k, List.of()));
        });
        rows.sort(Comparator.comparingDouble(TaskGroup::totalCostUsd).reversed()
                .thenComparing(g -> byRepository ? g.repository() : g.type()));
        return rows;
    }

    private static long[] histogram(ResultSet rs, int firstColumn) throws SQLException {
        long[] bins = new long[Rollups.BINS];
        for (int i = 0; i < bins.length; i++) {
            bins[i] = rs.getLong(firstColumn + i);
        }
        return bins;
    }

    // ---- daily ---------------------------------------------------------------------------------------

    public List<Daily> daily(ReportQuery q) {
        // TYPES' levels are a day and an hour, and raw runs are added up by the hour: a bucket's start (epoch
        // seconds) over 86,400 is its UTC day's number (days since 1970-01-01)
        // only the figures it shows (not the histograms): columns day, type, runs, tasks, cost_usd, completed_runs
        List<Daily> rows = query(Rollups.read(Rollups.TYPES, q, List.of("u.bucket / " + Rollups.DAY, "u.task_type"),
                        List.of("runs", "tasks", "cost_usd", "completed_runs")),
                rs -> new Daily(LocalDate.ofEpochDay(rs.getLong(1)), rs.getString(2), rs.getDouble(5), rs.getLong(4),
                        rs.getLong(3), rs.getLong(6)));
        rows.sort(Comparator.comparing(Daily::date).thenComparing(Daily::type));
        return rows;
    }

    // ---- values --------------------------------------------------------------------------------------

    private static Double ratio(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
