package io.agentvine.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.browser.BrowserFixture.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The Costs page in a real browser, over real runs: a worker runs tasks of three types with an agent
 * that reports its usage and cost as agents do ({@code Token usage: … cost=…}), one of them failing its
 * tests; then the page draws both charts (uPlot canvases with a size, under the dashboard's CSP), shows
 * the window's figures, draws again in the dark theme's colours, and a filter, a preset and a column
 * heading each change the URL and the tables; a bad date gets the reports' message next to its field.
 */
class CostsBrowserTest {
    @RegisterExtension
    static final BrowserFixture ui = new BrowserFixture().withAgentScript("""
            case "$AGENTVINE_TASK_TYPE" in
              feature) cost=0.0840 ;;
              bugfix) cost=0.0310 ;;
              *) cost=0.0120 ;;
            esac
            echo "working on $AGENTVINE_TASK_ID"
            echo "Token usage: input=12000, output=3400, cache_read=2000, cache_creation=0, cost=$cost"
            printf 'costs %s\\n' "$AGENTVINE_TASK_ID" > "costs-$AGENTVINE_TASK_ID.md"
            """);

    @Test
    void the_charts_are_drawn_from_real_runs_and_a_filter_changes_the_url_and_the_tables() throws Exception {
        List<String> ids = List.of(
                ui.fleet().createTask("feature", "Add the invoice export", "Export invoices as CSV.", "autonomous", null),
                ui.fleet().createTask("feature", "Add a price filter", "Filter by price.", "autonomous", null),
                ui.fleet().createTask("docs", "Document the export", "Explain the CSV export.", "autonomous", null),
                ui.fleet().createTask("bugfix", "Fix the rounding", "Round half up.", "autonomous",
                        "\"test_command\":\"exit 3\",\"max_attempts\":1"));
        for (String id : ids) {
            ui.waitFor(d -> isFinal(id));
        }
        assertThat(ui.fleet().state(ids.get(0))).isEqualTo("completed");
        assertThat(ui.fleet().state(ids.get(3))).isIn("failed", "dead");

        ui.signIn(Role.ADMIN);
        ui.click("nav.nav a[href='/ui/costs']");
        ui.waitFor(ExpectedConditions.urlContains("/ui/costs"));
        // Both charts drawn: a canvas each, with a size, and a legend naming the types.
        ui.waitFor(ExpectedConditions.attributeToBe(By.id("costs-charts"), "data-drawn", "2"));
        for (String chart : List.of("#chart-cost", "#chart-tasks")) {
            Map<String, Object> size = canvasSize(chart);
            assertThat(((Number) size.get("w")).intValue()).as(chart + " canvas width").isPositive();
            assertThat(((Number) size.get("h")).intValue()).as(chart + " canvas height").isPositive();
            assertThat(ui.text(chart + " .u-legend")).as(chart).contains("bugfix").contains("docs").contains("feature");
        }
        assertThat(ui.text("#stat-cost")).contains("$0.2110");
        assertThat(ui.text("#stat-tasks")).contains("4");
        assertThat(ui.text("#stat-completed")).contains("3");
        assertThat(ui.text("#stat-failed")).contains("1");
        assertThat(ui.text("#stat-success")).contains("75.0 %");
        assertThat(ui.texts("#table-types tbody tr td:first-child")).containsExactly("feature", "bugfix", "docs");
        assertThat(ui.text("#table-types tbody tr:nth-child(2)")).contains("tests failed ×1");
        assertThat(ui.texts("#table-workers tbody tr")).hasSize(1);
        assertThat(ui.text("#table-workers tbody tr")).contains("$0.2110").contains("4");
        assertThat(cspViolations()).as("uPlot and costs.js run under the dashboard's CSP").isEmpty();
        ui.screenshot("costs");

        // The dark theme: the charts are drawn again in its colours (the first series takes its --chart-1).
        JavascriptExecutor js = (JavascriptExecutor) ui.driver();
        String light = legendColour(js);
        ui.click("[data-theme-toggle]");
        ui.waitFor(d -> !legendColour(js).equals(light));
        String chart1 = (String) js.executeScript("return getComputedStyle(document.documentElement).getPropertyValue('--chart-1').trim()");
        assertThat(legendColour(js)).as("the first series in the dark theme's --chart-1").isEqualTo(rgb(js, chart1));
        assertThat(canvasSize("#chart-cost").get("w")).isNotEqualTo(0L);
        ui.click("[data-theme-toggle]");

        // A filter: the form is a GET, so the URL says what the page shows.
        new Select(ui.find("#f-type")).selectByValue("docs");
        ui.click("#f-apply");
        ui.waitFor(ExpectedConditions.urlContains("type=docs"));
        ui.waitFor(d -> ui.texts("#table-types tbody tr td:first-child").equals(List.of("docs")));
        assertThat(ui.text("#stat-cost")).contains("$0.0120");
        ui.waitFor(ExpectedConditions.attributeToBe(By.id("costs-charts"), "data-drawn", "2"));

        // A preset keeps the filter; a heading sorts its table in the URL.
        ui.click(".preset[href*='window=30d']");
        ui.waitFor(ExpectedConditions.urlContains("window=30d"));
        assertThat(ui.driver().getCurrentUrl()).contains("type=docs");
        assertThat(ui.text(".preset.active")).isEqualTo("Last 30 days");
        new Select(ui.find("#f-type")).selectByValue("");
        ui.click("#f-apply");
        ui.waitFor(d -> ui.texts("#table-types tbody tr td:first-child").size() == 3);
        assertThat(ui.driver().getCurrentUrl()).contains("window=30d").doesNotContain("type=docs");
        ui.click("#table-types th[data-key='type'] a");
        ui.waitFor(ExpectedConditions.urlContains("sort_types=type"));
        ui.waitFor(d -> ui.texts("#table-types tbody tr td:first-child").equals(List.of("bugfix", "docs", "feature")));

        // A bad date: the reports' message next to the field, not an error page.
        ui.find("#f-since").sendKeys("last tuesday");
        ui.click("#f-apply");
        ui.waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("since-error")));
        assertThat(ui.text("#since-error")).contains("ISO-8601").contains("last tuesday");
        assertThat(ui.present("#costs-charts")).isFalse();
    }

    private static boolean isFinal(String id) {
        try {
            return List.of("completed", "failed", "dead").contains(ui.fleet().state(id));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> canvasSize(String chart) {
        return (Map<String, Object>) ((JavascriptExecutor) ui.driver()).executeScript(
                "var c = document.querySelector(arguments[0] + ' canvas'); return c ? {w: c.width, h: c.height} : {w: 0, h: 0};", chart);
    }

    /** The colour of the first series' marker in the cost chart's legend. */
    private static String legendColour(JavascriptExecutor js) {
        Object c = js.executeScript("var m = document.querySelector('#chart-cost .u-legend .u-series:nth-child(2) .u-marker');"
                + " return m ? getComputedStyle(m).borderColor : '';");
        return c == null ? "" : c.toString();
    }

    /** A CSS colour as the browser computes it (rgb(…)). */
    private static String rgb(JavascriptExecutor js, String colour) {
        return (String) js.executeScript("var d = document.createElement('div'); d.style.borderColor = arguments[0];"
                + " document.body.appendChild(d); var c = getComputedStyle(d).borderColor; d.remove(); return c;", colour);
    }

    private static List<String> cspViolations() {
        return ui.driver().manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage)
                .filter(m -> m.contains("Content Security Policy") || m.contains("Refused to")).toList();
    }
}
