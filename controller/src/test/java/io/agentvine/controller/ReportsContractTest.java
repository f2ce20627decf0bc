package io.agentvine.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.agentvine.controller.reports.Rollups;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reports over a fixture of attempts whose figures are worked out by hand below: retries, a
 * recovered run and its rerun, a released run and its rerun, a free demo run (cost 0), a run whose
 * start was never seen, a run still going, and runs outside the window on both sides. Run on H2 and
 * on PostgreSQL (the subclasses). Window: 2025-11-01 to 2025-11-07 (dates: until is the end of that day).
 * A run is written as the accounting writes it, with its task's columns copied onto it ({@link AttemptHistory});
 * {@code ReportColumnsContractTest} checks that the accounting does so, {@code ReportColumnsMigrationTest}
 * that migration V10 fills older runs. Each run is also added to the reports' rollups as the controller adds it
 * ({@code Rollups.move}); run-time and queue-wait percentiles come from their histograms, so they are checked
 * within the stated precision (a factor √2 of the exact value, {@link #assertPercentile}).
 */
abstract class ReportsContractTest extends ApiContractFixture {
    private static final String A = "https://git.example.com/acme/shop.git";
    private static final String B = "https://git.example.com/acme/billing.git";
    private static final String WINDOW = "since=2025-11-01&until=2025-11-07";
    private static final double E = 1e-9;

    @Inject
    DataSource db;

    @BeforeAll
    void fixture() throws SQLException {
        // T1 feature/A: attempt 1 fails (agent_error), attempt 2 completes; both on w1.
        task("T1", "feature", A, "standard", "sonnet", "completed", "2025-11-02T10:00:00Z");
        run("T1", 1, "w1", "sonnet", "2025-11-02T10:00:10Z", "2025-11-02T10:01:10Z", "agent_error", 1000, 200, 500, 0, 0.10);
        run("T1", 2, "w1", "sonnet", "2025-11-02T10:05:00Z", "2025-11-02T10:07:00Z", "completed", 2000, 400, 1000, 100, 0.20);
        // T2 feature/A: w2's run is recovered (stale worker), w1 reruns the same attempt and completes.
        task("T2", "feature", A, "standard", "sonnet", "completed", "2025-11-03T08:00:00Z");
        run("T2", 1, "w2", "sonnet", "2025-11-03T08:00:30Z", "2025-11-03T08:00:40Z", "recovered", 100, 0, 0, 0, 0.01);
        run("T2", 1, "w1", "sonnet", "2025-11-03T08:01:00Z", "2025-11-03T08:04:00Z", "completed", 3000, 600, 0, 0, 0.30);
        // T3 bugfix/B: three failed attempts on w2, dead.
        task("T3", "bugfix", B, "budget", "haiku", "dead", "2025-11-04T12:00:00Z");
        run("T3", 1, "w2", "haiku", "2025-11-04T12:00:20Z", "2025-11-04T12:00:50Z", "tests_failed", 500, 100, 0, 0, 0.02);
        run("T3", 2, "w2", "haiku", "2025-11-04T12:10:00Z", "2025-11-04T12:10:40Z", "tests_failed", 500, 100, 0, 0, 0.02);
        run("T3", 3, "w2", "haiku", "2025-11-04T12:20:00Z", "2025-11-04T12:21:30Z", "agent_error", 600, 120, 0, 0, 0.03);
        // T4 docs/B on the demo agent (free): released by w3 at its shutdown, rerun by w4 and completed; no model on the runs.
        task("T4", "docs", B, "budget", "haiku", "completed", "2025-11-05T09:00:00Z");
        run("T4", 1, "w3", null, "2025-11-05T09:00:05Z", "2025-11-05T09:00:15Z", "released", 0, 0, 0, 0, 0.0);
        run("T4", 1, "w4", null, "2025-11-05T09:01:00Z", "2025-11-05T09:01:20Z", "completed", 50, 10, 0, 0, 0.0);
        // T5 feature/A created before the window, its run started on the window's first instant and still going.
        task("T5", "feature", A, "premium", "opus", "running", "2025-10-31T23:00:00Z");
        run("T5", 1, "w1", "opus", "2025-11-01T00:00:00Z", null, null, 100, 10, 0, 0, 0.05);
        // T6: a run before the window.
        task("T6", "feature", A, "standard", "sonnet", "completed", "2025-10-30T12:00:00Z");
        run("T6", 1, "w1", "sonnet", "2025-10-30T12:00:00Z", "2025-10-30T12:01:00Z", "completed", 9000, 900, 0, 0, 5.00);
        // T7 bugfix/B: its start was never seen; counted by its end.
        task("T7", "bugfix", B, "standard", "sonnet", "failed", "2025-11-06T00:00:00Z");
        run("T7", 1, "w2", "sonnet", null, "2025-11-06T00:05:00Z", "clone_failed", 0, 0, 0, 0, 0.0);
        // T8: created in the window, its run starts on the window's end (excluded).
        task("T8", "feature", A, "standard", "sonnet", "completed", "2025-11-07T23:59:00Z");
        run("T8", 1, "w1", "sonnet", "2025-11-08T00:00:00Z", "2025-11-08T00:01:00Z", "completed", 10, 10, 0, 0, 1.00);
    }

    // ---- workers ---------------------------------------------------------------------------------------

    @Test
    void workers_report_the_forge_efficiency_figures() {
        List<Map<String, Object>> rows = rows("workers", WINDOW);
        assertThat(rows).extracting(r -> r.get("worker_id")).containsExactly("w1", "w2", "w3", "w4");
        Map<String, Object> w1 = rows.get(0);
        assertThat(w1).containsEntry("call_count", 4).containsEntry("total_tokens", 8910).containsEntry("tier", "standard")
                .containsEntry("tasks_completed", 2).containsEntry("tasks_failed", 1)
                .containsEntry("last_active", "2025-11-03T08:04:00Z");
        assertNumber(w1, "total_cost_usd", 0.65);
        assertNumber(w1, "avg_cost_per_call", 0.1625);
        assertNumber(w1, "avg_tokens_per_call", 2227.5);
        assertNumber(w1, "efficiency_score", 8910 / 0.65);
        assertNumber(w1, "success_rate", 2.0 / 3);
        Map<String, Object> w2 = rows.get(1);
        assertThat(w2).containsEntry("call_count", 5).containsEntry("total_tokens", 2020).containsEntry("tier", "budget")
                .containsEntry("tasks_completed", 0).containsEntry("tasks_failed", 4)
                .containsEntry("last_active", "2025-11-06T00:05:00Z");
        assertNumber(w2, "total_cost_usd", 0.08);
        assertNumber(w2, "avg_tokens_per_call", 404);
        assertNumber(w2, "efficiency_score", 25250);
        assertNumber(w2, "success_rate", 0.0);
        Map<String, Object> w3 = rows.get(2);
        assertThat(w3).containsEntry("call_count", 1).containsEntry("total_tokens", 0).containsEntry("tier", "budget")
                .containsEntry("tasks_completed", 0).containsEntry("tasks_failed", 0).containsEntry("success_rate", null)
                .containsEntry("efficiency_score", null).containsEntry("last_active", "2025-11-05T09:00:15Z");
        Map<String, Object> w4 = rows.get(3);
        assertThat(w4).containsEntry("call_count", 1).containsEntry("total_tokens", 60).containsEntry("efficiency_score", null)
                .containsEntry("last_active", "2025-11-05T09:01:20Z");
        assertNumber(w4, "total_cost_usd", 0.0);
        assertNumber(w4, "avg_tokens_per_call", 60);
        assertNumber(w4, "success_rate", 1.0);
    }

    @Test
    void filters_narrow_every_report() {
        List<Map<String, Object>> bugfix = rows("workers", WINDOW + "&type=bugfix");
        assertThat(bugfix).extracting(r -> r.get("worker_id")).containsExactly("w2");
        assertThat(bugfix.get(0)).containsEntry("call_count", 4);
        assertNumber(bugfix.get(0), "total_cost_usd", 0.07);
        assertThat(rows("models", WINDOW + "&model=haiku")).extracting(r -> r.get("model")).containsExactly("haiku");
        assertThat(rows("types", WINDOW + "&repository=" + TestHttp.enc(B))).extracting(r -> r.get("type"))
                .containsExactly("bugfix", "docs");
        assertThat(rows("daily", WINDOW + "&type=docs")).extracting(r -> r.get("date")).containsExactly("2025-11-05");
        Map<String, Object> report = call(ADMIN, HttpRequest.GET("/api/v1/reports/models?" + WINDOW + "&type=feature"));
        assertThat(report).containsEntry("since", "2025-11-01T00:00:00Z").containsEntry("until", "2025-11-08T00:00:00Z")
                .containsEntry("type", "feature").doesNotContainKey("repository");
    }

    // ---- models ----------------------------------------------------------------------------------------

    @Test
    void models_report_cost_latency_cache_hits_and_success() {
        List<Map<String, Object>> rows = rows("models", WINDOW);
        assertThat(rows).extracting(r -> r.get("model")).containsExactly("sonnet", "haiku", "opus");
        Map<String, Object> sonnet = rows.get(0);
        assertThat(sonnet).containsEntry("call_count", 5).containsEntry("total_tokens", 8900);
        assertNumber(sonnet, "total_cost_usd", 0.61);
        assertNumber(sonnet, "avg_cost_per_1k_tokens", 0.61 * 1000 / 8900);
        assertNumber(sonnet, "avg_latency_ms", 92_500);
        assertNumber(sonnet, "cache_hit_rate", 1500.0 / 6100);
        assertNumber(sonnet, "success_rate", 0.5);
        assertNumber(sonnet, "cost_per_completed_task", 0.305);
        Map<String, Object> haiku = rows.get(1);
        assertThat(haiku).containsEntry("call_count", 5).containsEntry("total_tokens", 1980);
        assertNumber(haiku, "total_cost_usd", 0.07);
        assertNumber(haiku, "avg_latency_ms", 38_000);
        assertNumber(haiku, "cache_hit_rate", 0.0);
        assertNumber(haiku, "success_rate", 0.25);
        assertNumber(haiku, "cost_per_completed_task", 0.07);
        Map<String, Object> opus = rows.get(2);
        assertThat(opus).containsEntry("call_count", 1).containsEntry("avg_latency_ms", null)
                .containsEntry("success_rate", null).containsEntry("cost_per_completed_task", null);
        assertNumber(opus, "avg_cost_per_1k_tokens", 0.05 * 1000 / 110);
    }

    // ---- types and repositories ----------------------------------------------------------------------------

    @Test
    void task_types_report_success_cost_times_retries_and_failures() {
        List<Map<String, Object>> rows = rows("types", WINDOW);
        assertThat(rows).extracting(r -> r.get("type")).containsExactly("feature", "bugfix", "docs");
        Map<String, Object> feature = rows.get(0);
        assertThat(feature).containsEntry("tasks", 3).containsEntry("tasks_completed", 2).containsEntry("tasks_failed", 0)
                .containsEntry("runs", 5).containsEntry("retries", 1).containsEntry("reruns", 1).doesNotContainKey("repository");
        assertNumber(feature, "success_rate", 1.0);
        assertNumber(feature, "total_cost_usd", 0.66);
        assertNumber(feature, "cost_per_completed_task", 0.33);
        assertPercentile(feature, "run_time_p50_ms", 90_000);
        assertPercentile(feature, "run_time_p95_ms", 171_000);
        // queue wait over the tasks whose first run is in the window, at that run: T1 10 s, T2 30 s, and T5 1 h (created
        // before the window, first run on its first instant; before V12 only tasks created in the window counted)
        assertPercentile(feature, "queue_wait_p50_ms", 30_000);
        assertPercentile(feature, "queue_wait_p95_ms", 30_000 + 0.9 * (3_600_000 - 30_000));
        assertThat(feature.get("top_failure_reasons")).isEqualTo(List.of(Map.of("reason", "agent_error", "count", 1)));
        Map<String, Object> bugfix = rows.get(1);
        assertThat(bugfix).containsEntry("tasks", 2).containsEntry("tasks_completed", 0).containsEntry("tasks_failed", 2)
                .containsEntry("runs", 4).containsEntry("retries", 2).containsEntry("reruns", 0)
                .containsEntry("cost_per_completed_task", null);
        assertNumber(bugfix, "success_rate", 0.0);
        assertPercentile(bugfix, "run_time_p50_ms", 40_000);
        assertPercentile(bugfix, "run_time_p95_ms", 85_000);
        assertPercentile(bugfix, "queue_wait_p50_ms", 20_000);
        assertPercentile(bugfix, "queue_wait_p95_ms", 20_000);
        assertThat(bugfix.get("top_failure_reasons")).isEqualTo(List.of(Map.of("reason", "tests_failed", "count", 2),
                Map.of("reason", "agent_error", "count", 1), Map.of("reason", "clone_failed", "count", 1)));
        Map<String, Object> docs = rows.get(2);
        assertThat(docs).containsEntry("tasks", 1).containsEntry("runs", 2).containsEntry("reruns", 1)
                .containsEntry("top_failure_reasons", List.of());
        assertNumber(docs, "total_cost_usd", 0.0);
        assertNumber(docs, "cost_per_completed_task", 0.0);
        assertPercentile(docs, "run_time_p50_ms", 15_000);
        assertPercentile(docs, "run_time_p95_ms", 19_500);
        assertPercentile(docs, "queue_wait_p50_ms", 5_000);
    }

    @Test
    void repositories_report_the_same_figures_per_repository() {
        List<Map<String, Object>> rows = rows("repositories", WINDOW);
        assertThat(rows).extracting(r -> r.get("repository")).containsExactly(A, B);
        assertThat(rows.get(0)).containsEntry("tasks", 3).containsEntry("runs", 5).doesNotContainKey("type");
        Map<String, Object> b = rows.get(1);
        assertThat(b).containsEntry("tasks", 3).containsEntry("tasks_completed", 1).containsEntry("tasks_failed", 2)
                .containsEntry("runs", 6).containsEntry("retries", 2).containsEntry("reruns", 1);
        assertNumber(b, "success_rate", 1.0 / 3);
        assertNumber(b, "total_cost_usd", 0.07);
        assertNumber(b, "cost_per_completed_task", 0.07);
        assertPercentile(b, "run_time_p50_ms", 30_000);
        assertPercentile(b, "run_time_p95_ms", 80_000);
        assertPercentile(b, "queue_wait_p50_ms", 12_500);
        assertPercentile(b, "queue_wait_p95_ms", 19_250);
    }

    // ---- daily -----------------------------------------------------------------------------------------------

    @Test
    void the_daily_series_has_cost_and_tasks_per_type_and_utc_day() {
        List<Map<String, Object>> rows = rows("daily", WINDOW);
        assertThat(rows).extracting(r -> r.get("date") + " " + r.get("type") + " " + r.get("tasks") + " " + r.get("runs")
                + " " + r.get("tasks_completed")).containsExactly("2025-11-01 feature 1 1 0", "2025-11-02 feature 1 2 1",
                "2025-11-03 feature 1 2 1", "2025-11-04 bugfix 1 3 0", "2025-11-05 docs 1 2 1", "2025-11-06 bugfix 1 1 0");
        double[] costs = {0.05, 0.30, 0.31, 0.07, 0.0, 0.0};
        for (int i = 0; i < costs.length; i++) {
            assertNumber(rows.get(i), "cost_usd", costs[i]);
        }
    }

    // ---- the rollups ------------------------------------------------------------------------------------------

    @Test
    void the_rollups_the_fixture_moved_run_by_run_equal_a_rebuild_from_the_runs() throws SQLException {
        try (var c = io.micronaut.data.connection.jdbc.advice.DelegatingDataSource.unwrapDataSource(db).getConnection()) {
            assertThat(Rollups.differences(c)).isEmpty();
        }
    }

    @Test
    void a_window_of_whole_buckets_and_partial_edges_adds_the_rollups_and_the_edges_raw_runs() {
        // whole days 11-03 and 11-04 (whole hours from 11-02 11:00 to 11-05 09:00) from the rollups, the rest raw:
        // T1's second run (10:05) falls just before it, T4's first run (09:00:05) just inside, its rerun (09:01) after
        String window = "since=2025-11-02T10:06:00Z&until=2025-11-05T09:00:10Z";
        assertThat(rows("workers", window)).extracting(r -> r.get("worker_id") + " " + r.get("call_count"))
                .containsExactly("w1 1", "w2 4", "w3 1");
        assertThat(rows("types", window)).extracting(r -> r.get("type") + " " + r.get("tasks") + " " + r.get("runs")
                + " " + r.get("retries") + " " + r.get("reruns")).containsExactly("feature 1 2 0 1", "bugfix 1 3 2 0", "docs 1 1 0 1");
        assertThat(rows("daily", window)).extracting(r -> r.get("date") + " " + r.get("type") + " " + r.get("tasks") + " "
                + r.get("runs") + " " + r.get("tasks_completed")).containsExactly("2025-11-03 feature 1 2 1",
                "2025-11-04 bugfix 1 3 0", "2025-11-05 docs 1 1 0");
        assertThat(rows("models", window)).extracting(r -> r.get("model") + " " + r.get("call_count"))
                .containsExactly("sonnet 2", "haiku 4");
        // repositories: [10:06, 11:00) raw, then an hour, 12:00-24:00 in 6-hour buckets, two days, 00:00-06:00 in one
        // 6-hour bucket, three hours, and [09:00, 09:00:10) raw
        assertThat(rows("repositories", window)).extracting(r -> r.get("repository") + " " + r.get("tasks") + " " + r.get("runs"))
                .containsExactly(A + " 1 2", B + " 2 4");
    }

    @Test
    void the_coarser_levels_give_the_figures_the_finer_ones_add_up_to() {
        // 2025-11-03 to 11-07 is one whole 5-day bucket of the repositories rollup (days 20395-20399 since 1970)
        assertThat(rows("repositories", "since=2025-11-03&until=2025-11-07"))
                .extracting(r -> r.get("repository") + " " + r.get("tasks") + " " + r.get("runs") + " " + r.get("retries"))
                .containsExactly(A + " 1 2 0", B + " 3 6 2");
        // from 2025-10-01: the whole 30-day bucket 2025-10-09 to 11-08 (workers, repositories) and whole days (models,
        // types, daily); the window's figures plus T6's run on 10-30
        String month = "since=2025-10-01&until=2025-11-07";
        assertThat(rows("workers", month)).extracting(r -> r.get("worker_id") + " " + r.get("call_count"))
                .containsExactly("w1 5", "w2 5", "w3 1", "w4 1");
        assertNumber(rows("workers", month).get(0), "total_cost_usd", 5.65);
        assertThat(rows("models", month)).extracting(r -> r.get("model") + " " + r.get("call_count"))
                .containsExactlyElementsOf(rows("models", WINDOW).stream()
                        .map(r -> r.get("model") + " " + ((Integer) r.get("call_count") + ("sonnet".equals(r.get("model")) ? 1 : 0)))
                        .toList());
        assertThat(rows("types", month)).extracting(r -> r.get("type") + " " + r.get("tasks") + " " + r.get("runs"))
                .containsExactlyElementsOf(rows("types", WINDOW).stream().map(r -> r.get("type") + " "
                        + ((Integer) r.get("tasks") + ("feature".equals(r.get("type")) ? 1 : 0)) + " "
                        + ((Integer) r.get("runs") + ("feature".equals(r.get("type")) ? 1 : 0))).toList());
        assertThat(rows("repositories", month)).extracting(r -> r.get("repository") + " " + r.get("tasks") + " " + r.get("runs"))
                .containsExactly(A + " 4 6", B + " 3 6");
        List<Map<String, Object>> daily = rows("daily", month);
        assertThat(daily.get(0)).containsEntry("date", "2025-10-30").containsEntry("type", "feature").containsEntry("tasks", 1);
        assertThat(daily.subList(1, daily.size())).isEqualTo(rows("daily", WINDOW));
    }

    @Test
    void a_filter_the_rollup_is_not_keyed_by_reads_raw_runs_with_the_same_figures() {
        // types has no repository in its rollup's key (raw runs); repositories has, and with type too
        Map<String, Object> viaRaw = rows("types", WINDOW + "&repository=" + TestHttp.enc(B)).get(0);
        Map<String, Object> viaRollup = rows("repositories", WINDOW + "&type=bugfix").get(0);
        for (String field : List.of("tasks", "tasks_completed", "tasks_failed", "runs", "retries", "reruns",
                "run_time_p50_ms", "run_time_p95_ms", "queue_wait_p50_ms", "top_failure_reasons")) {
            assertThat(viaRaw.get(field)).as(field).isEqualTo(viaRollup.get(field));
        }
    }

    // ---- the window ------------------------------------------------------------------------------------------

    @Test
    void instants_bound_the_window_exactly_and_the_default_is_the_last_seven_days() throws SQLException {
        assertThat(rows("workers", "since=2025-11-03T08:00:40Z&until=2025-11-03T08:01:00.001Z"))
                .extracting(r -> r.get("worker_id")).containsExactly("w1");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        task("T9", "docs", A, "budget", "haiku", "completed", now.minus(9, ChronoUnit.DAYS).toString());
        run("T9", 1, "w-old", "haiku", now.minus(8, ChronoUnit.DAYS).toString(), now.minus(8, ChronoUnit.DAYS).toString(), "completed", 1, 1, 0, 0, 0.0);
        run("T9", 2, "w-recent", "haiku", now.minus(1, ChronoUnit.DAYS).toString(), now.minus(1, ChronoUnit.DAYS).toString(), "completed", 1, 1, 0, 0, 0.0);
        Map<String, Object> report = call(ADMIN, HttpRequest.GET("/api/v1/reports/workers"));
        assertThat((List<Map<String, Object>>) report.get("rows")).extracting(r -> r.get("worker_id")).containsExactly("w-recent");
        Instant since = Instant.parse((String) report.get("since"));
        Instant until = Instant.parse((String) report.get("until"));
        assertThat(until).isBetween(now.minusSeconds(60), now.plusSeconds(60));
        assertThat(java.time.Duration.between(since, until)).hasDays(7);
    }

    @Test
    void bad_parameters_get_a_400_naming_them() {
        Map<String, String> cases = Map.of(
                "since=2025-11-08&until=2025-11-01", "since",
                "since=yesterday", "since",
                "until=2025-13-01", "until",
                "until=2025-11-01T00:00:00", "until",
                "since=0001-01-01T00:00:00Z", "since",
                "type=painting", "type",
                "repository=%20", "repository",
                "model=a%0Ab", "model");
        for (String report : List.of("workers", "models", "types", "repositories", "daily")) {
            cases.forEach((query, field) -> {
                HttpClientResponseException e = failure(ADMIN, HttpRequest.GET("/api/v1/reports/" + report + "?" + query));
                assertThat(e.getStatus().getCode()).as(report + "?" + query).isEqualTo(400);
                assertThat(errorBody(e)).as(report + "?" + query).containsEntry("field", field);
            });
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> rows(String report, String query) {
        return (List<Map<String, Object>>) call(ADMIN, HttpRequest.GET("/api/v1/reports/" + report + "?" + query)).get("rows");
    }

    /**
     * A percentile of run time or queue wait: the reports estimate them from histograms of log-spaced bins
     * ({@code Rollups.percentile}), within a factor √2 of the exact value worked out by hand.
     */
    private static void assertPercentile(Map<String, Object> row, String field, double exact) {
        assertThat(row.get(field)).as(field).isInstanceOf(Number.class);
        assertThat(((Number) row.get(field)).doubleValue()).as(field).isBetween(exact / Math.sqrt(2), exact * Math.sqrt(2));
    }

    private static void assertNumber(Map<String, Object> row, String field, double expected) {
        assertThat(row.get(field)).as(field).isInstanceOf(Number.class);
        assertThat(((Number) row.get(field)).doubleValue()).as(field).isCloseTo(expected, within(E + Math.abs(expected) * 1e-9));
    }

    private void task(String id, String type, String repository, String tier, String model, String state, String created)
            throws SQLException {
        new AttemptHistory(db).task(id, type, repository, tier, model, state, created);
    }

    private void run(String task, int attempt, String worker, String model, String started, String ended, String outcome,
                     long in, long out, long cacheRead, long cacheCreation, double cost) throws SQLException {
        new AttemptHistory(db).run(task, attempt, worker, model, started, ended, outcome, in, out, cacheRead, cacheCreation, cost);
        try (var c = io.micronaut.data.connection.jdbc.advice.DelegatingDataSource.unwrapDataSource(db).getConnection()) {
            assertThat(Rollups.differences(c)).as("every level of every rollup after run " + task + "/" + attempt + " by " + worker)
                    .isEmpty();
        }
    }
}
