package io.agentvine.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * V10__report_columns.sql (and V12's rollups, then V13's coarser levels of them) on a database that already holds
 * runs (written before V10, without the columns the reports read): every old run gets its task's type, repository,
 * model tier, model, creation time and state, and the instant it counts at (its start, else its end); afterwards a
 * run without them is refused. The real migrations through Flyway, on H2 and on a fresh PostgreSQL schema.
 */
class ReportColumnsMigrationTest {
    @Test
    void on_h2() throws SQLException {
        Map<String, String> db = TestDatabases.h2();
        migrateWithOldRuns(db.get("datasources.default.url"), db.get("datasources.default.username"),
                db.get("datasources.default.password"), null);
    }

    @Test
    void on_postgres() throws SQLException {
        Map<String, String> db = TestDatabases.postgres();
        String schema = db.get("flyway.datasources.default.schemas");
        String url = db.get("datasources.default.url");
        try {
            migrateWithOldRuns(url, db.get("datasources.default.username"), db.get("datasources.default.password"), schema);
        } finally {
            try (Connection c = DriverManager.getConnection(url, db.get("datasources.default.username"),
                    db.get("datasources.default.password")); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    private static void migrateWithOldRuns(String url, String user, String password, String schema) throws SQLException {
        flyway(url, user, password, schema, "8").migrate();
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            task(c, "T1", "feature", "https://git.example.com/acme/shop.git", "standard", "sonnet", "completed", "2025-11-02T10:00:00Z");
            task(c, "T2", "bugfix", "https://git.example.com/acme/billing.git", "budget", "haiku", "dead", "2025-11-04T12:00:00Z");
            oldRun(c, "T1", 1, "w1", "2025-11-02T10:00:10Z", "2025-11-02T10:01:10Z", "agent_error");
            oldRun(c, "T1", 2, "w1", "2025-11-02T10:05:00Z", "2025-11-02T10:07:00Z", "completed");
            oldRun(c, "T2", 1, "w2", null, "2025-11-06T00:05:00Z", "clone_failed");
            oldRun(c, "T2", 2, "w2", null, null, null);
        }
        assertThat(flyway(url, user, password, schema, "12").migrate().migrationsExecuted).isPositive();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SELECT COUNT(*) FROM report_rollup_types_daily").close())
                    .as("V13's levels are not V12's").isInstanceOf(SQLException.class);
        }
        // V13 on a database V12 filled: the coarser levels made and filled from the runs there are
        assertThat(flyway(url, user, password, schema, null).migrate().migrationsExecuted).isPositive();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT task_id, attempt, task_type, repository_url, model_tier, task_model, task_state,"
                     + " task_created_at, reported_at FROM task_attempts ORDER BY task_id, attempt")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                OffsetDateTime reported = rs.getObject(9, OffsetDateTime.class);
                rows.add(rs.getString(1) + " " + rs.getInt(2) + " " + rs.getString(3) + " " + rs.getString(4) + " "
                        + rs.getString(5) + " " + rs.getString(6) + " " + rs.getString(7) + " "
                        + rs.getObject(8, OffsetDateTime.class).toInstant() + " " + (reported == null ? null : reported.toInstant()));
            }
            assertThat(rows).containsExactly(
                    "T1 1 feature https://git.example.com/acme/shop.git standard sonnet completed 2025-11-02T10:00:00Z 2025-11-02T10:00:10Z",
                    "T1 2 feature https://git.example.com/acme/shop.git standard sonnet completed 2025-11-02T10:00:00Z 2025-11-02T10:05:00Z",
                    "T2 1 bugfix https://git.example.com/acme/billing.git budget haiku dead 2025-11-04T12:00:00Z 2025-11-06T00:05:00Z",
                    "T2 2 bugfix https://git.example.com/acme/billing.git budget haiku dead 2025-11-04T12:00:00Z null");
            // V12: the runs marked (a task's first run, an attempt's first run) and the rollups filled from them
            try (ResultSet marks = s.executeQuery("SELECT task_id, attempt, first_run, first_try FROM task_attempts ORDER BY id")) {
                List<String> marked = new ArrayList<>();
                while (marks.next()) {
                    marked.add(marks.getString(1) + " " + marks.getInt(2) + " " + marks.getInt(3) + " " + marks.getInt(4));
                }
                assertThat(marked).containsExactly("T1 1 1 1", "T1 2 0 1", "T2 1 1 1", "T2 2 0 1");
            }
            try (ResultSet types = s.executeQuery("SELECT task_type, SUM(runs), SUM(tasks), SUM(retries) FROM report_rollup_types"
                    + " GROUP BY task_type ORDER BY task_type")) {
                List<String> sums = new ArrayList<>();
                while (types.next()) {
                    sums.add(types.getString(1) + " " + types.getLong(2) + " " + types.getLong(3) + " " + types.getLong(4));
                }
                assertThat(sums).as("runs never seen to start or end count nowhere").containsExactly("bugfix 1 1 0", "feature 2 1 1");
            }
            for (String level : List.of("report_rollup_types_daily", "report_rollup_repositories_30d")) {
                try (ResultSet sums = s.executeQuery("SELECT task_type, SUM(runs), SUM(tasks), SUM(retries) FROM " + level
                        + " GROUP BY task_type ORDER BY task_type")) {
                    List<String> levelSums = new ArrayList<>();
                    while (sums.next()) {
                        levelSums.add(sums.getString(1) + " " + sums.getLong(2) + " " + sums.getLong(3) + " " + sums.getLong(4));
                    }
                    assertThat(levelSums).as(level).containsExactly("bugfix 1 1 0", "feature 2 1 1");
                }
            }
            for (String level : List.of("_30d", "_5d", "_daily", "_6h", "_hourly")) {
                try (ResultSet sums = s.executeQuery("SELECT SUM(runs), SUM(tasks), SUM(retries), COUNT(DISTINCT repository_url)"
                        + " FROM report_rollup_repository_totals" + level)) {
                    assertThat(sums.next()).isTrue();
                    assertThat(sums.getLong(1) + " " + sums.getLong(2) + " " + sums.getLong(3) + " " + sums.getLong(4))
                            .as("repository totals" + level).isEqualTo("3 2 1 2");
                }
            }
            assertThat(io.agentvine.controller.reports.Rollups.differences(c)).as("every level, V12's and V13's").isEmpty();
            assertThatThrownBy(() -> oldRun(c, "T1", 3, "w3", "2025-11-03T00:00:00Z", null, null))
                    .as("a run without its task's columns").isInstanceOf(SQLException.class);
        }
    }

    private static Flyway flyway(String url, String user, String password, String schema, String target) {
        var config = Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration");
        if (schema != null) {
            config = config.schemas(schema).defaultSchema(schema);
        }
        if (target != null) {
            config = config.target(target);
        }
        return config.load();
    }

    private static void task(Connection c, String id, String type, String repository, String tier, String model, String state,
                             String created) throws SQLException {
        FixtureTasks.insert(c, id, type, repository, tier, model, state, OffsetDateTime.parse(created));
    }

    /** A run as the controller wrote it before V10. */
    private static void oldRun(Connection c, String task, int attempt, String worker, String started, String ended, String outcome)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO task_attempts (task_id, attempt, worker_id, started_at, ended_at,"
                + " outcome, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, cost_usd)"
                + " VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0)")) {
            FixtureTasks.bind(ps, task, attempt, worker, started == null ? null : OffsetDateTime.parse(started),
                    ended == null ? null : OffsetDateTime.parse(ended), outcome);
            ps.executeUpdate();
        }
    }
}
