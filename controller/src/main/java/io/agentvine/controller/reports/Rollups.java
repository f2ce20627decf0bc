package io.agentvine.controller.reports;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The reports' rollups (docs/architecture.md, "Reports"): per report, the figures of the attempt history added
 * up per UTC bucket and per the report's keys, in levels of buckets of different widths (a table each, every
 * level holding every run), so that a report reads one row per bucket and key for the whole buckets of its window
 * — from the coarsest level that has whole buckets inside it, its edges from the next finer level, and so on —
 * and raw runs only for what is left at the window's edges ({@link #read}, {@link #cover}). Levels (migration
 * V12's, and V13's coarser and intermediate ones):
 * <ul>
 * <li>{@link #WORKERS} per 30 days, day and hour, worker, task type and model tier (the workers report);</li>
 * <li>{@link #MODELS} per day and hour, model (the run's, else its task's) and task type (the models report);</li>
 * <li>{@link #TYPES} per day and hour and task type (the task types report and the daily series), and
 *   {@link #TYPE_FAILURES} per day and hour, task type and failure class (its failure reasons);</li>
 * <li>{@link #REPOSITORY_TOTALS} per 30 days, 5 days, day, 6 hours and hour and repository (the repositories
 *   report), {@link #REPOSITORIES} per 30 days, day and hour, repository and task type (the same filtered by
 *   type), and {@link #REPOSITORY_FAILURES} per 30 days, day and hour, repository, task type and failure class.</li>
 * </ul>
 * Every figure adds up: counts and sums, a latest instant (which only grows), a task counted at its first run
 * ({@code first_run}: the task's run with the lowest id), a retry at the first run of an attempt after the first
 * ({@code first_try}), and run time and queue wait as histograms of {@link #BINS} log-spaced bins ({@link #bin}).
 * <p>Every statement here is built from one definition per figure ({@link Measure#source}): the same aggregate
 * fills a rollup's level in its migration ({@link #addLevels}), keeps it up to date as a run's task changes ({@link #move}:
 * the task's runs are subtracted before a change and added after it, in the change's transaction), and sums the
 * raw runs of a window's edges. On PostgreSQL and H2 (PostgreSQL mode) alike, except the insert-or-add of
 * {@link #move}: {@code INSERT … ON CONFLICT DO UPDATE} on PostgreSQL (safe against a concurrent insert of the same
 * key), {@code MERGE} on H2.
 */
public final class Rollups {
    /** Run-time and queue-wait bins: bin 0 is up to 1 ms, bin i (2^((i-1)/2), 2^(i/2)] ms, the last everything above. */
    public static final int BINS = 64;
    static final long HOUR = 3600;
    static final long DAY = 86_400;

    static final String NOT_A_FAILURE = "('completed', 'released', 'recovered', 'cancelled')";
    static final String FAILED_RUN = "a.outcome IS NOT NULL AND a.outcome NOT IN " + NOT_A_FAILURE;
    static final String MODEL = "COALESCE(a.model, a.task_model)";
    private static final String COMPLETED = "CASE WHEN a.outcome = 'completed' THEN 1 ELSE 0 END";
    private static final String FAILED = "CASE WHEN " + FAILED_RUN + " THEN 1 ELSE 0 END";
    private static final String TOKENS = "(a.input_tokens + a.output_tokens + a.cache_read_tokens + a.cache_creation_tokens)";
    private static final String RUN_MS = "(CAST(EXTRACT(EPOCH FROM a.ended_at) AS DOUBLE PRECISION)"
            + " - CAST(EXTRACT(EPOCH FROM a.started_at) AS DOUBLE PRECISION)) * 1000";
    private static final String WAIT_MS = "(CAST(EXTRACT(EPOCH FROM a.started_at) AS DOUBLE PRECISION)"
            + " - CAST(EXTRACT(EPOCH FROM a.task_created_at) AS DOUBLE PRECISION)) * 1000";

    /** A key column of a rollup, and what it is on a run. */
    record Key(String column, String sqlType, String source) {
    }

    /** A figure of a rollup: its column, type, aggregate over runs, and whether rows merge by MAX (else by sum). */
    record Measure(String column, String sqlType, String source, boolean max) {
        static Measure sum(String column, String sqlType, String source) {
            return new Measure(column, sqlType, "SUM(" + source + ")", false);
        }
    }

    /**
     * One level of a rollup: its table, bucket width in seconds, keys, figures, which runs it counts, columns worked
     * out once per run before the figures add them up ({@code , expression AS name}; empty for none), the next finer
     * level of the same rollup (null for the finest), and the migration that made its table (12 or 13). A report
     * names a rollup by its coarsest level; {@link #levels} are read coarsest first ({@link #cover}).
     */
    public record Rollup(String table, long width, List<Key> keys, List<Measure> measures, String where, String derived,
                         Rollup finer, int version) {
        /** This level and its finer ones, coarsest first. */
        List<Rollup> levels() {
            List<Rollup> levels = new ArrayList<>();
            for (Rollup r = this; r != null; r = r.finer()) {
                levels.add(r);
            }
            return List.copyOf(levels);
        }

        /** The finest level: raw runs are added up per its bucket. */
        Rollup finest() {
            return finer == null ? this : finer.finest();
        }

        int measureIndex(String column) {
            for (int i = 0; i < measures.size(); i++) {
                if (measures.get(i).column().equals(column)) {
                    return i;
                }
            }
            throw new IllegalArgumentException(table + " has no figure " + column);
        }

        boolean hasKey(String column) {
            return keys.stream().anyMatch(k -> k.column().equals(column));
        }

        private String bucket() {
            return "CAST(FLOOR(CAST(EXTRACT(EPOCH FROM a.reported_at) AS DOUBLE PRECISION) / " + width + ") AS BIGINT)";
        }

        private String columns() {
            return "bucket, " + keys.stream().map(Key::column).collect(Collectors.joining(", ")) + ", "
                    + measures.stream().map(Measure::column).collect(Collectors.joining(", "));
        }

        /**
         * The runs matching {@code condition} added up per bucket and key, {@code sign} times (1 or -1), each figure
         * of its column's type: a window's raw edges read with a level's rows then need no conversion, and a
         * histogram's counts stay {@code INTEGER}, whose {@code SUM} PostgreSQL adds up in a machine integer (of
         * {@code BIGINT} it adds up in {@code NUMERIC}, several times slower over 128 columns).
         */
        String source(String condition, int sign) {
            String factor = sign == 1 ? "" : sign + " * ";
            return "SELECT " + bucket() + " AS bucket, "
                    + keys.stream().map(k -> k.source() + " AS " + k.column()).collect(Collectors.joining(", ")) + ", "
                    + measures.stream().map(m -> "CAST(" + (m.max() ? m.source() : factor + m.source()) + " AS " + m.sqlType()
                            + ") AS " + m.column())
                    .collect(Collectors.joining(", "))
                    + runs("a.reported_at IS NOT NULL AND " + where + " AND (" + condition + ")")
                    + " GROUP BY " + bucket() + ", " + keys.stream().map(Key::source).collect(Collectors.joining(", "));
        }

        /**
         * The runs a source adds up: with derived columns, a derived table each run passes through once (the
         * {@code OFFSET 0 ROWS} keeps PostgreSQL from folding it into the aggregate, which would work a bin out
         * again for each of the histogram's columns).
         */
        private String runs(String condition) {
            return derived.isEmpty() ? " FROM task_attempts a WHERE " + condition
                    : " FROM (SELECT a.*" + derived + " FROM task_attempts a WHERE " + condition + " OFFSET 0 ROWS) a";
        }

        String create() {
            return "CREATE TABLE " + table + " (bucket BIGINT NOT NULL, "
                    + keys.stream().map(k -> k.column() + " " + k.sqlType() + " NOT NULL").collect(Collectors.joining(", ")) + ", "
                    + measures.stream().map(m -> m.column() + " " + m.sqlType() + (m.max() ? "" : " NOT NULL"))
                    .collect(Collectors.joining(", "))
                    + ", PRIMARY KEY (bucket, " + keys.stream().map(Key::column).collect(Collectors.joining(", ")) + "))";
        }

        String backfill() {
            return "INSERT INTO " + table + " (" + columns() + ") " + source("1 = 1", 1);
        }

        private String matches() {
            return "t.bucket = s.bucket AND " + keys.stream().map(k -> "t." + k.column() + " = s." + k.column())
                    .collect(Collectors.joining(" AND "));
        }

        private String added(String other) {
            return measures.stream().map(m -> m.column() + " = " + (m.max()
                            ? "GREATEST(t." + m.column() + ", " + other + "." + m.column() + ")"
                            : "t." + m.column() + " + " + other + "." + m.column()))
                    .collect(Collectors.joining(", "));
        }

        /** The task's runs taken out: every row they added to exists (a latest instant stays as it was). */
        String subtract() {
            return "MERGE INTO " + table + " t USING (" + source("a.task_id = ?", -1) + ") s ON (" + matches() + ")"
                    + " WHEN MATCHED THEN UPDATE SET " + measures.stream().filter(m -> !m.max())
                    .map(m -> m.column() + " = t." + m.column() + " + s." + m.column()).collect(Collectors.joining(", "));
        }

        /** The task's runs put in: a row per bucket and key made, or added to. */
        String add(boolean postgres) {
            if (postgres) {
                return "INSERT INTO " + table + " AS t (" + columns() + ") " + source("a.task_id = ?", 1)
                        + " ON CONFLICT (bucket, " + keys.stream().map(Key::column).collect(Collectors.joining(", "))
                        + ") DO UPDATE SET " + added("EXCLUDED");
            }
            return "MERGE INTO " + table + " t USING (" + source("a.task_id = ?", 1) + ") s ON (" + matches() + ")"
                    + " WHEN MATCHED THEN UPDATE SET " + added("s")
                    + " WHEN NOT MATCHED THEN INSERT (" + columns() + ") VALUES ("
                    + ("s.bucket, " + keys.stream().map(k -> "s." + k.column()).collect(Collectors.joining(", ")) + ", "
                    + measures.stream().map(m -> "s." + m.column()).collect(Collectors.joining(", "))) + ")";
        }
    }

    /** The bin of {@code ms} (a SQL expression): 0 up to 1 ms, else ceil(2·log2(ms)), at most {@link #BINS} - 1. */
    static String bin(String ms) {
        return "CASE WHEN " + ms + " <= 1 THEN 0 ELSE LEAST(" + (BINS - 1) + ", CAST(CEIL(LN(" + ms + ") * "
                + (2 / Math.log(2)) + ") AS INTEGER)) END";
    }

    /** The histogram columns {@code prefix0 … prefix63}, each counting the runs whose {@code bin} is its number. */
    private static List<Measure> histogram(String prefix, String bin) {
        return IntStream.range(0, BINS).mapToObj(i -> Measure.sum(prefix + i, "INTEGER",
                "CASE WHEN " + bin + " = " + i + " THEN 1 ELSE 0 END")).toList();
    }

    private static final Measure RUNS = new Measure("runs", "BIGINT", "COUNT(*)", false);
    private static final Measure COST = Measure.sum("cost_usd", "DOUBLE PRECISION", "a.cost_usd");
    private static final Key TYPE = new Key("task_type", "VARCHAR(32)", "a.task_type");
    private static final Key REPOSITORY = new Key("repository_url", "VARCHAR(2000)", "a.repository_url");

    /** A level of a rollup being defined: its table's suffix, bucket width, and the migration that makes it. */
    private record Level(String suffix, long width, int version) {
    }

    private static final Level MONTHS = new Level("_30d", 30 * DAY, 13);
    private static final Level FIVE_DAYS = new Level("_5d", 5 * DAY, 13);
    private static final Level DAYS_V13 = new Level("_daily", DAY, 13);
    private static final Level DAYS = new Level("", DAY, 12);
    private static final Level SIX_HOURS = new Level("_6h", 6 * HOUR, 13);
    private static final Level HOURS = new Level("_hourly", HOUR, 12);
    private static final Level HOURS_BASE = new Level("", HOUR, 12);
    private static final Level HOURS_V13 = new Level("_hourly", HOUR, 13);

    /** A rollup of {@code levels} (coarsest first), each a table {@code table + suffix}; returns its coarsest level. */
    private static Rollup rollup(String table, List<Key> keys, List<Measure> measures, String where, String derived,
                                 Level... levels) {
        Rollup finer = null;
        for (int i = levels.length - 1; i >= 0; i--) {
            finer = new Rollup(table + levels[i].suffix(), levels[i].width(), keys, measures, where, derived, finer,
                    levels[i].version());
        }
        return finer;
    }

    public static final Rollup WORKERS = rollup("report_rollup_workers",
            List.of(new Key("worker_id", "VARCHAR(64)", "a.worker_id"), TYPE, new Key("model_tier", "VARCHAR(16)", "a.model_tier")),
            List.of(RUNS, COST, Measure.sum("tokens", "BIGINT", TOKENS),
                    new Measure("last_active", "TIMESTAMP WITH TIME ZONE", "MAX(COALESCE(a.ended_at, a.started_at))", true),
                    Measure.sum("completed", "BIGINT", COMPLETED), Measure.sum("failed", "BIGINT", FAILED)),
            "a.worker_id IS NOT NULL", "", MONTHS, DAYS, HOURS);

    public static final Rollup MODELS = rollup("report_rollup_models",
            List.of(new Key("model", "VARCHAR(100)", MODEL), TYPE),
            List.of(RUNS, Measure.sum("tokens", "BIGINT", TOKENS), COST,
                    new Measure("latency_ms", "DOUBLE PRECISION", "COALESCE(SUM(CASE WHEN a.ended_at IS NOT NULL THEN "
                            + RUN_MS + " END), 0)", false),
                    Measure.sum("latency_runs", "BIGINT", "CASE WHEN a.ended_at IS NOT NULL AND a.started_at IS NOT NULL"
                            + " THEN 1 ELSE 0 END"),
                    Measure.sum("cache_read_tokens", "BIGINT", "a.cache_read_tokens"),
                    Measure.sum("input_tokens", "BIGINT", "a.input_tokens"),
                    Measure.sum("completed", "BIGINT", COMPLETED), Measure.sum("failed", "BIGINT", FAILED)),
            "1 = 1", "", DAYS_V13, HOURS_BASE);

    private static List<Measure> groupMeasures() {
        List<Measure> m = new ArrayList<>(List.of(RUNS,
                Measure.sum("tasks", "BIGINT", "a.first_run"),
                Measure.sum("tasks_completed", "BIGINT", "CASE WHEN a.first_run = 1 AND a.task_state = 'completed' THEN 1 ELSE 0 END"),
                Measure.sum("tasks_failed", "BIGINT", "CASE WHEN a.first_run = 1 AND a.task_state IN ('failed', 'dead') THEN 1 ELSE 0 END"),
                COST,
                Measure.sum("completed_runs", "BIGINT", COMPLETED),
                Measure.sum("retries", "BIGINT", "CASE WHEN a.first_try = 1 AND a.attempt > 1 THEN 1 ELSE 0 END"),
                Measure.sum("reruns", "BIGINT", "CASE WHEN a.outcome IN ('released', 'recovered') THEN 1 ELSE 0 END")));
        m.addAll(histogram("rt", "a.rb"));
        m.addAll(histogram("qw", "a.qb"));
        return List.copyOf(m);
    }

    /** A run's run-time bin ({@code rb}) and, on a task's first run, its queue-wait bin ({@code qb}). */
    private static final String BINNED = ", CASE WHEN a.started_at IS NOT NULL AND a.ended_at IS NOT NULL THEN "
            + bin(RUN_MS) + " END AS rb, CASE WHEN a.first_run = 1 AND a.started_at IS NOT NULL THEN " + bin(WAIT_MS)
            + " END AS qb";

    public static final Rollup TYPES = rollup("report_rollup_types", List.of(TYPE), groupMeasures(), "1 = 1", BINNED,
            DAYS_V13, HOURS_BASE);

    /** The repositories report filtered by type (a row per repository and type). */
    public static final Rollup REPOSITORIES = rollup("report_rollup_repositories", List.of(REPOSITORY, TYPE),
            groupMeasures(), "1 = 1", BINNED, MONTHS, DAYS, HOURS);

    /**
     * The repositories report without a type filter: a row per repository (a third of {@link #REPOSITORIES}' rows
     * in the benchmark), the widest rows (140-odd columns) over the most keys, so levels close enough that a
     * window's edges read few rows of each: per edge at most 5 five-day buckets, 4 days, 3 six-hour buckets and 5
     * hours.
     */
    public static final Rollup REPOSITORY_TOTALS = rollup("report_rollup_repository_totals", List.of(REPOSITORY),
            groupMeasures(), "1 = 1", BINNED, MONTHS, FIVE_DAYS, DAYS_V13, SIX_HOURS, HOURS_V13);

    private static final Key OUTCOME = new Key("outcome", "VARCHAR(32)", "a.outcome");

    public static final Rollup TYPE_FAILURES = rollup("report_rollup_type_failures", List.of(TYPE, OUTCOME),
            List.of(RUNS), FAILED_RUN, "", DAYS_V13, HOURS_BASE);

    public static final Rollup REPOSITORY_FAILURES = rollup("report_rollup_repository_failures",
            List.of(REPOSITORY, TYPE, OUTCOME), List.of(RUNS), FAILED_RUN, "", MONTHS, DAYS, HOURS);

    /** Every rollup table, all levels. */
    public static final List<Rollup> ALL = java.util.stream.Stream.of(WORKERS, MODELS, TYPES, REPOSITORIES,
            REPOSITORY_TOTALS, TYPE_FAILURES, REPOSITORY_FAILURES).flatMap(r -> r.levels().stream()).toList();

    /**
     * Marks runs not marked yet (a new run, or every run when migration V12 runs): {@code first_run} 1 on the run
     * with the lowest id of its task, {@code first_try} 1 on the run with the lowest id of its task's attempt.
     */
    static final String MARK_FIRST_RUNS = "UPDATE task_attempts SET"
            + " first_run = CASE WHEN id = (SELECT MIN(f.id) FROM task_attempts f WHERE f.task_id = task_attempts.task_id)"
            + " THEN 1 ELSE 0 END,"
            + " first_try = CASE WHEN id = (SELECT MIN(f.id) FROM task_attempts f WHERE f.task_id = task_attempts.task_id"
            + " AND f.attempt = task_attempts.attempt) THEN 1 ELSE 0 END"
            + " WHERE first_run IS NULL";

    private Rollups() {
    }

    static boolean postgres(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgresql");
    }

    /**
     * Migration V12: the marks, the tables V12 made (the rollups' levels of {@code version} 12), and those filled
     * from the runs there are.
     */
    public static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE task_attempts ADD COLUMN first_run SMALLINT");
            s.execute("ALTER TABLE task_attempts ADD COLUMN first_try SMALLINT");
        }
        addLevels(c, 12);
    }

    /** Migration V{@code version} (12 or 13): its levels' tables made and filled from the runs there are. */
    public static void addLevels(Connection c, int version) throws SQLException {
        List<Rollup> levels = ALL.stream().filter(r -> r.version() == version).toList();
        try (Statement s = c.createStatement()) {
            for (Rollup r : levels) {
                s.execute(r.create());
            }
        }
        backfill(c, levels);
    }

    /** Marks every unmarked run and fills the (empty) {@code levels} from the whole history: the migrations and the benchmark. */
    static void backfill(Connection c, List<Rollup> levels) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(MARK_FIRST_RUNS);
            for (Rollup r : levels) {
                s.executeUpdate(r.backfill());
            }
        }
    }

    /**
     * One task's runs taken out of every rollup ({@code sign} -1, before they change) or put in ({@code sign} 1,
     * after: unmarked runs marked first), on {@code c}, in its transaction.
     */
    public static void move(Connection c, String taskId, int sign) throws SQLException {
        if (sign == 1) {
            try (PreparedStatement ps = c.prepareStatement(MARK_FIRST_RUNS + " AND task_id = ?")) {
                ps.setString(1, taskId);
                ps.executeUpdate();
            }
        }
        boolean postgres = postgres(c);
        for (Rollup r : ALL) {
            try (PreparedStatement ps = c.prepareStatement(sign == 1 ? r.add(postgres) : r.subtract())) {
                ps.setString(1, taskId);
                for (int attempt = 1; ; attempt++) {
                    try {
                        ps.executeUpdate();
                        break;
                    } catch (SQLException e) {
                        // H2's MERGE is not safe against a concurrent insert of the same key (PostgreSQL's ON CONFLICT
                        // is): two tasks whose runs share a new bucket both insert, and the later one fails once the
                        // earlier commits. Run again, it finds the row and adds to it. H2 keeps the transaction.
                        if (postgres || !DUPLICATE_KEY.equals(e.getSQLState()) || attempt == MERGE_ATTEMPTS) {
                            throw e;
                        }
                    }
                }
            }
        }
    }

    /** The SQL state of a unique or primary key violation. */
    private static final String DUPLICATE_KEY = "23505";
    /** How often an H2 MERGE that met a concurrent insert is run. */
    private static final int MERGE_ATTEMPTS = 5;

    /**
     * Where the rollups differ from what a rebuild from the runs would hold ({@link #backfill}'s statements; rows of
     * no runs left out, numbers compared to 6 decimals): empty when they are right. For tests and for checking a
     * database by hand.
     */
    public static List<String> differences(Connection c) throws SQLException {
        List<String> found = new ArrayList<>();
        for (Rollup r : ALL) {
            List<String> kept = rows(c, "SELECT " + r.columns() + " FROM " + r.table() + " WHERE "
                    + r.measures().get(0).column() + " <> 0");
            List<String> rebuilt = rows(c, "SELECT * FROM (" + r.source("1 = 1", 1) + ") s");
            List<String> missing = new ArrayList<>(rebuilt);
            kept.forEach(missing::remove);
            List<String> extra = new ArrayList<>(kept);
            rebuilt.forEach(extra::remove);
            missing.stream().limit(5).forEach(row -> found.add(r.table() + " lacks " + row));
            extra.stream().limit(5).forEach(row -> found.add(r.table() + " has, but a rebuild has not: " + row));
        }
        return found;
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    row.append(i == 1 ? "" : " ").append(rs.getMetaData().getColumnLabel(i).toLowerCase(Locale.ROOT)).append('=')
                            .append(v instanceof Number num
                                    ? String.format(Locale.ROOT, "%.6f", Math.round(num.doubleValue() * 1e6) / 1e6 + 0.0)
                                    : v instanceof java.time.OffsetDateTime t ? t.toInstant().toString()
                                    : v instanceof java.sql.Timestamp t ? t.toInstant().toString() : String.valueOf(v));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    /** Whole buckets {@code [from, to)} of one rollup table. */
    record Part(Rollup rollup, long from, long to) {
    }

    /**
     * Covers {@code [since, until)} with the whole buckets of the coarsest level that has one inside it, then its
     * edges with the next level's, and what is left with raw runs.
     */
    static void cover(List<Rollup> levels, Instant since, Instant until, List<Part> parts, List<Instant[]> raw) {
        if (!since.isBefore(until)) {
            return;
        }
        if (levels.isEmpty()) {
            raw.add(new Instant[]{since, until});
            return;
        }
        Rollup r = levels.get(0);
        long width = r.width();
        long s = since.getEpochSecond() + (since.getNano() > 0 ? 1 : 0);
        long from = Math.floorDiv(s + width - 1, width);
        long to = Math.floorDiv(until.getEpochSecond(), width);
        List<Rollup> finer = levels.subList(1, levels.size());
        if (from >= to) {
            cover(finer, since, until, parts, raw);
            return;
        }
        parts.add(new Part(r, from, to));
        cover(finer, since, Instant.ofEpochSecond(from * width), parts, raw);
        cover(finer, Instant.ofEpochSecond(to * width), until, parts, raw);
    }

    /** A report filter: its column in the rollups and its expression on a run. */
    record Filter(String column, String source, Object value) {
    }

    static List<Filter> filters(ReportQuery q) {
        List<Filter> f = new ArrayList<>();
        if (q.type() != null) {
            f.add(new Filter("task_type", "a.task_type", q.type()));
        }
        if (q.repository() != null) {
            f.add(new Filter("repository_url", "a.repository_url", q.repository()));
        }
        if (q.model() != null) {
            f.add(new Filter("model", MODEL, q.model()));
        }
        return f;
    }

    /**
     * The statement that sums a rollup over a window by {@code groups} (expressions over the rollup's columns, as
     * {@code u.column}; {@code u.bucket} is the epoch second its bucket starts at, whatever the level; without it in
     * the groups, no level's bucket is worked out): the rollup's rows of the window's whole buckets plus
     * its edges' raw runs added up the same way. A filter on a column the rollup is not keyed by makes it all raw
     * runs (docs/architecture.md, "Reports"). Columns: the groups, then every figure (summed, or the latest).
     */
    static Sql read(Rollup r, ReportQuery q, List<String> groups) {
        return readFigures(r, q, groups, r.measures());
    }

    /**
     * {@link #read} of some of the rollup's figures only ({@code figures}: column names; the first figure, which
     * tells a row of no runs, always), in the rollup's order: the rows read are as many, each added up narrower.
     */
    static Sql read(Rollup r, ReportQuery q, List<String> groups, List<String> figures) {
        return readFigures(r, q, groups, r.measures().stream()
                .filter(m -> m == r.measures().get(0) || figures.contains(m.column())).toList());
    }

    private static Sql readFigures(Rollup r, ReportQuery q, List<String> groups, List<Measure> figures) {
        List<Filter> filters = filters(q);
        List<Part> parts = new ArrayList<>();
        List<Instant[]> ranges = new ArrayList<>();
        cover(filters.stream().allMatch(f -> r.hasKey(f.column())) ? r.levels() : List.of(), q.since(), q.until(), parts,
                ranges);
        // by bucket: each level's bucket read as the epoch second it starts at; else the table's columns as they are
        boolean byBucket = groups.stream().anyMatch(g -> g.contains("u.bucket"));
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ").append(String.join(", ", groups)).append(", ")
                .append(figures.stream().map(m -> (m.max() ? "MAX(u." : "SUM(u.") + m.column() + ")")
                        .collect(Collectors.joining(", ")))
                .append(" FROM (");
        // each part's columns: the bucket, the keys and the figures read
        String columns = "bucket, " + r.keys().stream().map(Key::column).collect(Collectors.joining(", ")) + ", "
                + figures.stream().map(Measure::column).collect(Collectors.joining(", "));
        for (Part part : parts) {
            sql.append("SELECT ").append(byBucket ? "bucket * " + part.rollup().width() + " AS " : "")
                    .append(columns).append(" FROM ").append(part.rollup().table())
                    .append(" WHERE bucket >= ? AND bucket < ?");
            params.add(part.from());
            params.add(part.to());
            for (Filter f : filters) {
                sql.append(" AND ").append(f.column()).append(" = ?");
                params.add(f.value());
            }
            sql.append(" UNION ALL ");
        }
        if (ranges.isEmpty()) {
            ranges.add(new Instant[]{q.since(), q.since()}); // no raw runs: an empty range keeps the statement's shape
        }
        StringBuilder raw = new StringBuilder();
        for (Instant[] range : ranges) {
            raw.append(raw.isEmpty() ? "(" : " OR ").append("(a.reported_at >= ? AND a.reported_at < ?)");
            params.add(range[0].atOffset(ZoneOffset.UTC));
            params.add(range[1].atOffset(ZoneOffset.UTC));
        }
        raw.append(")");
        for (Filter f : filters) {
            raw.append(" AND ").append(f.source()).append(" = ?");
            params.add(f.value());
        }
        Rollup finest = r.finest();
        sql.append("SELECT ").append(byBucket ? "bucket * " + finest.width() + " AS " : "").append(columns)
                .append(" FROM (").append(finest.source(raw.toString(), 1)).append(") s) u GROUP BY ").append(String.join(", ", groups))
                .append(" HAVING SUM(u.").append(r.measures().get(0).column()).append(") > 0");
        return new Sql(sql.toString(), params);
    }

    /** SQL and its parameters. */
    record Sql(String sql, List<Object> params) {
    }

    /**
     * A percentile ({@code p} in [0, 1]) of a histogram of {@link #BINS} bins, as {@code PERCENTILE_CONT} would
     * compute it over the values, with each value placed inside its bin by its rank there (geometrically: the
     * j-th of c values of bin (L, U] at L·(U/L)^((j + 0.5)/c)); null when the histogram is empty. Each placed value
     * lies in its true value's bin, so the result is within a factor √2 of the exact percentile (and within
     * 2^(1/4) when each bin holds at most one value); values above 2^31 ms (24.9 days) all count as the last bin.
     */
    static Double percentile(long[] bins, double p) {
        long n = 0;
        for (long b : bins) {
            n += b;
        }
        if (n == 0) {
            return null;
        }
        double rank = p * (n - 1);
        long lower = (long) Math.floor(rank);
        double low = placed(bins, lower);
        double frac = rank - lower;
        return frac == 0 ? low : low + frac * (placed(bins, lower + 1) - low);
    }

    /** The estimate of the value of 0-based rank {@code k}. */
    private static double placed(long[] bins, long k) {
        long before = 0;
        for (int i = 0; i < bins.length; i++) {
            if (k < before + bins[i]) {
                double f = (k - before + 0.5) / bins[i];
                if (i == 0) {
                    return f;
                }
                double l = Math.pow(2, (i - 1) / 2.0);
                return l * Math.pow(Math.sqrt(2), f);
            }
            before += bins[i];
        }
        throw new IllegalArgumentException("rank " + k + " beyond the histogram's " + before + " values");
    }

    /** For the benchmark: fills the rollups of a database whose runs were inserted straight (the migration's SQL). */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: Rollups <jdbc-url> <user> <password>");
            System.exit(2);
        }
        try (Connection c = java.sql.DriverManager.getConnection(args[0], args[1], args[2])) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (Rollup r : ALL) {
                    s.executeUpdate("DELETE FROM " + r.table());
                }
            }
            backfill(c, ALL);
            c.commit();
        }
        System.out.println("rollups filled: " + ALL.stream().map(Rollup::table).collect(Collectors.joining(", ")));
    }
}
