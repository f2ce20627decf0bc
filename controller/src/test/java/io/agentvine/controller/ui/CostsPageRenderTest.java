package io.agentvine.controller.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.controller.AttemptHistory;
import io.agentvine.controller.TestProperties;
import io.agentvine.controller.ui.UiHttp.Reply;
import io.agentvine.model.Json;
import io.agentvine.queue.testing.SettableClock;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Costs page as the server renders it (no browser), over a fixture of runs whose figures are worked
 * out below, the clock fixed at 2025-11-07T12:00:00Z (so the default window is 2025-10-31T12:00Z to
 * then): headline figures, the charts' data, the tables and their sort orders, the window's presets and
 * filters in the URL, the reports' own message next to a refused field, an empty window, a viewer.
 * On H2 with a real Redis.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CostsPageRenderTest implements TestPropertyProvider {
    private static final String ADMIN = "admin-costs-key";
    private static final String VIEWER = "viewer-costs-key";
    private static final String A = "https://git.example.com/acme/shop.git";
    private static final String B = "https://git.example.com/acme/billing.git";
    private static final Instant NOW = Instant.parse("2025-11-07T12:00:00Z");

    @Inject
    EmbeddedServer server;
    @Inject
    DataSource db;
    @Inject
    SettableClock clock;

    private UiHttp http;

    @Override
    public Map<String, String> getProperties() {
        return TestProperties.onH2().adminKeys(ADMIN).with("agentvine.viewer-keys", VIEWER)
                .with("test.settable-clock", "true").noBackground().build();
    }

    @BeforeAll
    void fixture() throws SQLException {
        clock.set(NOW);
        http = new UiHttp(() -> server.getURL().toString());
        AttemptHistory h = new AttemptHistory(db);
        // T1 feature/A: one run on w1, completed: 3,400 tokens, $0.20.
        h.task("T1", "feature", A, "standard", "sonnet", "completed", "2025-11-05T10:00:00Z");
        h.run("T1", 1, "w1", "sonnet", "2025-11-05T10:00:10Z", "2025-11-05T10:02:10Z", "completed", 2000, 400, 1000, 0, 0.20);
        // T2 bugfix/B: two failed attempts on w2 (tests_failed), dead: 1,200 tokens, $0.05.
        h.task("T2", "bugfix", B, "budget", "haiku", "dead", "2025-11-06T09:00:00Z");
        h.run("T2", 1, "w2", "haiku", "2025-11-06T09:00:30Z", "2025-11-06T09:01:00Z", "tests_failed", 500, 100, 0, 0, 0.02);
        h.run("T2", 2, "w2", "haiku", "2025-11-06T09:10:00Z", "2025-11-06T09:10:40Z", "tests_failed", 500, 100, 0, 0, 0.03);
        // T3 docs/A on w1, completed: 1,234,567 tokens, $1.50.
        h.task("T3", "docs", A, "standard", "sonnet", "completed", "2025-11-06T11:00:00Z");
        h.run("T3", 1, "w1", "sonnet", "2025-11-06T11:00:05Z", "2025-11-06T11:00:25Z", "completed", 1_200_000, 34_567, 0, 0, 1.50);
        // T4 feature/A, 18 days before: only in the last 30 days, on w3 with opus, $2.00.
        h.task("T4", "feature", A, "premium", "opus", "completed", "2025-10-20T08:00:00Z");
        h.run("T4", 1, "w3", "opus", "2025-10-20T08:00:05Z", "2025-10-20T08:05:05Z", "completed", 100, 100, 0, 0, 2.00);
    }

    @Test
    void the_default_window_shows_the_headline_the_charts_data_and_the_tables() {
        Document page = page("/ui/costs", ADMIN);
        assertThat(page.select("nav.nav a.active").text()).isEqualTo("Costs");
        assertThat(page.select("#costs-window").text()).isEqualTo("2025-10-31 12:00 UTC → 2025-11-07 12:00 UTC");
        assertThat(page.select(".preset.active").text()).isEqualTo("Last 7 days");
        assertThat(stat(page, "cost")).isEqualTo("$1.75");
        assertThat(stat(page, "tokens")).isEqualTo("1,239,167");
        assertThat(stat(page, "tasks")).isEqualTo("3");
        assertThat(stat(page, "completed")).isEqualTo("2");
        assertThat(stat(page, "failed")).isEqualTo("1");
        assertThat(stat(page, "success")).isEqualTo("66.7 %");
        assertThat(stat(page, "cost-per-task")).isEqualTo("$0.8750");
        assertThat(stat(page, "runs")).isEqualTo("4");

        // The charts' data: every UTC day of the window, one series per type (sorted), zero where nothing ran.
        Map<String, Object> chart = Json.read(page.select("#costs-charts").attr("data-chart"), Map.class);
        List<Number> days = (List<Number>) chart.get("days");
        assertThat(days).hasSize(8);
        assertThat(days.get(0).longValue()).isEqualTo(Instant.parse("2025-10-31T00:00:00Z").getEpochSecond());
        assertThat(days.get(7).longValue()).isEqualTo(Instant.parse("2025-11-07T00:00:00Z").getEpochSecond());
        assertThat(chart.get("types")).isEqualTo(List.of("bugfix", "docs", "feature"));
        List<List<Number>> cost = (List<List<Number>>) chart.get("cost");
        assertThat(cost.get(0).get(6).doubleValue()).isEqualTo(0.05, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(cost.get(1).get(6).doubleValue()).isEqualTo(1.50);
        assertThat(cost.get(2).get(5).doubleValue()).isEqualTo(0.20);
        assertThat(cost.get(2).get(0).doubleValue()).isZero();
        assertThat(chart.get("tasks")).isEqualTo(List.of(List.of(0, 0, 0, 0, 0, 0, 1, 0), List.of(0, 0, 0, 0, 0, 0, 1, 0),
                List.of(0, 0, 0, 0, 0, 1, 0, 0)));
        assertThat(page.select("#chart-cost[data-series=cost]")).hasSize(1);
        assertThat(page.select("#chart-tasks[data-series=tasks]")).hasSize(1);
        assertThat(page.select("script[src=/ui/assets/costs.js]")).hasSize(1);
        assertThat(page.select("script[src=/ui/assets/webjars/uplot/1.6.30/dist/uPlot.iife.min.js]")).hasSize(1);
        assertThat(page.select("script:not([src])")).as("no inline script").isEmpty();
        assertThat(page.select("[style]")).as("no inline style").isEmpty();
        assertThat(page.select("#no-runs")).isEmpty();

        // Workers, most expensive first: the FORGE figures, money and tokens formatted, numbers right-aligned.
        assertThat(column(page, "workers", 0)).containsExactly("w1", "w2");
        assertThat(row(page, "workers", 0)).containsExactly("w1", "standard", "2", "$1.70", "1,237,967", "$0.8500", "618,984",
                "728,216", "2", "0", "100.0 %", "1d 0h ago");
        assertThat(row(page, "workers", 1)).containsExactly("w2", "budget", "2", "$0.0500", "1,200", "$0.0250", "600", "24,000",
                "0", "2", "0.0 %", "1d 2h ago");
        assertThat(page.select("#table-workers td.num")).isNotEmpty();
        assertThat(page.select("#table-workers th[aria-sort=descending]").attr("data-key")).isEqualTo("cost");
        // Models: cost per 1k tokens, latency, cache hits, success, cost per completed task.
        assertThat(row(page, "models", 0)).containsExactly("sonnet", "2", "1,237,967", "$1.70", "$0.0014", "1m 10s", "0.1 %",
                "100.0 %", "$0.8500");
        assertThat(row(page, "models", 1)).containsExactly("haiku", "2", "1,200", "$0.0500", "$0.0417", "35s", "0.0 %", "0.0 %", "–");
        // Types and repositories: success, cost per completed task, wait and run times, retries, failure reasons.
        // queue wait 30 s, run times 30 s and 40 s (p50 35 s, p95 39.5 s): the reports estimate percentiles from
        // histograms of log-spaced bins, within a factor √2 (Rollups.percentile), so the page shows 27s, 27s, 33s, 38s
        assertThat(row(page, "types", 2)).containsExactly("bugfix", "1", "0", "1", "0.0 %", "$0.0500", "–", "27s", "27s",
                "33s", "38s", "1", "tests failed ×2");
        assertThat(column(page, "repositories", 0)).containsExactly(A, B);
        Element typeLink = page.selectFirst("#table-types td a");
        assertThat(typeLink.attr("href")).isEqualTo("/ui/costs?type=docs");
    }

    @Test
    void a_column_heading_sorts_its_table_in_the_url_and_an_unknown_order_is_named() {
        Document page = page("/ui/costs", ADMIN);
        String byName = page.select("#table-workers th[data-key=worker] a").attr("href");
        assertThat(byName).isEqualTo("/ui/costs?sort_workers=worker");
        Document ascending = page(byName, ADMIN);
        assertThat(column(ascending, "workers", 0)).containsExactly("w1", "w2");
        assertThat(ascending.select("#table-workers th[data-key=worker]").attr("aria-sort")).isEqualTo("ascending");
        String descending = ascending.select("#table-workers th[data-key=worker] a").attr("href");
        assertThat(descending).isEqualTo("/ui/costs?sort_workers=-worker");
        assertThat(column(page(descending, ADMIN), "workers", 0)).containsExactly("w2", "w1");
        // The sort order goes with the filter form, and a filter link keeps it.
        Document sorted = page("/ui/costs?sort_models=latency&type=bugfix", ADMIN);
        assertThat(sorted.select("#costs-filters input[type=hidden][name=sort_models]").val()).isEqualTo("latency");
        assertThat(sorted.select(".preset").first().attr("href")).isEqualTo("/ui/costs?window=24h&type=bugfix&sort_models=latency");

        Reply bad = get("/ui/costs?sort_workers=colour", ADMIN);
        assertThat(bad.status()).isEqualTo(200);
        assertThat(bad.html().select("#sort_workers-error").text())
                .startsWith("sort_workers: must be one of worker, tier, calls, cost").contains("was 'colour'");
        assertThat(column(bad.html(), "workers", 0)).as("in the default order").containsExactly("w1", "w2");
    }

    @Test
    void filters_and_presets_live_in_the_url() {
        Document bugfix = page("/ui/costs?type=bugfix", ADMIN);
        assertThat(bugfix.select("#f-type option[selected]").val()).isEqualTo("bugfix");
        assertThat(stat(bugfix, "cost")).isEqualTo("$0.0500");
        assertThat(column(bugfix, "workers", 0)).containsExactly("w2");
        assertThat(bugfix.select("#costs-filters").attr("method")).isEqualTo("get");
        assertThat(bugfix.select("#f-clear").attr("href")).isEqualTo("/ui/costs");

        Document month = page("/ui/costs?window=30d", ADMIN);
        assertThat(month.select(".preset.active").text()).isEqualTo("Last 30 days");
        assertThat(stat(month, "cost")).isEqualTo("$3.75");
        assertThat(column(month, "workers", 0)).containsExactly("w3", "w1", "w2");
        assertThat(month.select("#costs-filters input[type=hidden][name=window]").val()).isEqualTo("30d");

        Document day = page("/ui/costs?window=24h", ADMIN);
        assertThat(day.select("#no-runs").text()).isEqualTo("No runs in this window.");
        assertThat(day.select("#costs-charts")).isEmpty();
        assertThat(day.select("#report-workers .empty").text()).isEqualTo("No runs in this window.");
        assertThat(stat(day, "cost")).isEqualTo("$0.00");
        assertThat(stat(day, "success")).isEqualTo("–");

        // since/until (dates: the whole days, UTC) win over a preset.
        Document custom = page("/ui/costs?window=30d&since=2025-11-06&until=2025-11-06&model=" + enc("sonnet"), ADMIN);
        assertThat(custom.select(".preset.active")).isEmpty();
        assertThat(custom.select("#costs-window").text()).isEqualTo("2025-11-06 00:00 UTC → 2025-11-07 00:00 UTC");
        assertThat(custom.select("#f-since").val()).isEqualTo("2025-11-06");
        assertThat(custom.select("#f-model").val()).isEqualTo("sonnet");
        assertThat(stat(custom, "cost")).isEqualTo("$1.50");
        Map<String, Object> chart = Json.read(custom.select("#costs-charts").attr("data-chart"), Map.class);
        assertThat((List<?>) chart.get("days")).hasSize(1);
        assertThat(chart.get("types")).isEqualTo(List.of("docs"));
    }

    @Test
    void a_refused_parameter_gets_the_reports_own_message_next_to_its_field() {
        Map<String, String> cases = Map.of(
                "since=yesterday", "since",
                "until=2025-13-01", "until",
                "since=2025-11-08&until=2025-11-01", "since",
                "type=painting", "type",
                "model=a%0Ab", "model");
        cases.forEach((query, field) -> {
            Reply r = get("/ui/costs?" + query, ADMIN);
            assertThat(r.status()).as(query).isEqualTo(400);
            Map<String, Object> api = Json.read(http.send("GET", "/api/v1/reports/types?" + query, null, null,
                    Map.of("Authorization", "Bearer " + ADMIN)).body(), Map.class);
            assertThat(api).as(query).containsEntry("field", field);
            Document page = r.html();
            assertThat(page.select("#" + field + "-error").text()).as(query).isEqualTo(api.get("message"));
            assertThat(page.select("#f-" + field).attr("aria-invalid")).as(query).isEqualTo("true");
            assertThat(page.select("#headline")).as(query).isEmpty();
        });
        Reply window = get("/ui/costs?window=fortnight", ADMIN);
        assertThat(window.status()).isEqualTo(400);
        assertThat(window.html().select("#window-error").text()).isEqualTo("window: must be one of 24h, 7d, 30d (or give since and until), was 'fortnight'");
        assertThat(window.html().select("#f-since").val()).as("the input kept").isEmpty();
        Reply kept = get("/ui/costs?since=yesterday&type=docs", ADMIN);
        assertThat(kept.html().select("#f-since").val()).isEqualTo("yesterday");
        assertThat(kept.html().select("#f-type option[selected]").val()).isEqualTo("docs");
    }

    @Test
    void a_viewer_sees_the_page_and_the_nav_entry_is_on_every_page() {
        Document page = page("/ui/costs", VIEWER);
        assertThat(stat(page, "cost")).isEqualTo("$1.75");
        assertThat(page.select("form[hx-post], button[hx-post]").stream().map(e -> e.attr("hx-post")).toList())
                .as("nothing to change but signing out").containsOnly("/ui/logout");
        for (String path : List.of("/ui/fleet", "/ui/queue", "/ui/tasks", "/ui/attention")) {
            assertThat(page(path, VIEWER).select("nav.nav a[href=/ui/costs]").text()).as(path).isEqualTo("Costs");
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private Reply get(String path, String key) {
        return http.send("GET", path, null, null, Map.of("Accept", "text/html", "Authorization", "Bearer " + key));
    }

    private Document page(String path, String key) {
        Reply r = get(path, key);
        assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(200);
        return r.html();
    }

    private static String stat(Document page, String id) {
        return page.select("#stat-" + id + " .stat-value").text();
    }

    private static List<String> row(Document page, String table, int index) {
        return page.select("#table-" + table + " tbody tr").get(index).select("td").eachText();
    }

    private static List<String> column(Document page, String table, int index) {
        return page.select("#table-" + table + " tbody tr").stream().map(tr -> tr.select("td").get(index).text()).toList();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
