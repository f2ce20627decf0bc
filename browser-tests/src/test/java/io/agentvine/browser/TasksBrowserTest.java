package io.agentvine.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.browser.BrowserFixture.Role;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The Tasks list, the Task page and the New task form in a real browser, against a real controller,
 * Redis and a worker running the demo agent (slowed down so a run can be watched): enqueue from the
 * form, watch the task reach completed without reloading, see a list row change live, bulk-retry
 * failed tasks with the count shown first.
 */
class TasksBrowserTest {
    @RegisterExtension
    static final BrowserFixture ui = new BrowserFixture(Map.of("AGENTVINE_DEMO_STEP_DELAY_MS", "1500"), Map.of());

    @Test
    void a_task_enqueued_from_the_form_is_watched_to_completion_without_reloading() throws Exception {
        ui.signIn(Role.ADMIN);
        ui.open("/ui/tasks/new");
        ui.waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("new-task-form")));
        new Select(ui.find("#type")).selectByValue("docs");
        ui.find("#title").sendKeys("Document the CSV export");
        ui.find("#instructions").sendKeys("Explain the export in the README.");
        // A refused field first: the API's message next to it, the input kept.
        ui.find("#repository_url").sendKeys("ftp://example.com/shop.git");
        ui.find("#create-task").click();
        ui.waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("repository_url-error")));
        assertThat(ui.text("#repository_url-error")).contains("ftp");
        assertThat(ui.find("#title").getDomProperty("value")).isEqualTo("Document the CSV export");
        ui.find("#repository_url").clear();
        ui.find("#repository_url").sendKeys(ui.fleet().bare.toUri().toString());
        ui.screenshot("new-task");

        ui.find("#create-task").click();
        ui.waitFor(ExpectedConditions.urlMatches("/ui/tasks/t-[0-9a-f-]+$"));
        String id = ui.driver().getCurrentUrl().substring(ui.driver().getCurrentUrl().lastIndexOf('/') + 1);
        ui.waitForLive();
        JavascriptExecutor js = (JavascriptExecutor) ui.driver();
        js.executeScript("window.__sameDocument = true");
        // Read through a wait: a live refresh may replace the panel between finding the title and reading it.
        ui.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("task-title"), "Document the CSV export"));

        // Running, or (on a fast run, between two refreshes) already completed: the page follows without a reload.
        ui.waitFor(d -> List.of("running", "completed").contains(ui.text("#task-state-badge").strip()));
        // The live log: the attempt's lines arrive (over its stream while it runs) while the page stays open.
        ui.waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#log-lines .log-line")));
        ui.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("task-state-badge"), "completed"));
        assertThat(js.executeScript("return window.__sameDocument === true")).as("no reload").isEqualTo(true);
        ui.waitFor(d -> ui.driver().findElements(By.cssSelector("#log-lines .log-line")).size() > 1);
        String logText = ui.text("#log-lines");
        assertThat(logText).as("the log file's lines, shipped live").isNotBlank();
        assertThat(ui.driver().findElements(By.cssSelector("#log-lines .log-line[data-id]")))
                .allSatisfy(line -> assertThat(line.getDomAttribute("data-id")).matches("\\d+-\\d+"));
        ui.waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#attempts tr[data-attempt='1']")));
        assertThat(ui.text("#attempts tr[data-attempt='1']")).contains("completed")
                .contains((String) ui.fleet().task(id).get("worker_id"));
        ui.waitFor(ExpectedConditions.presenceOfElementLocated(By.id("work-branch")));
        assertThat(ui.text("#changed-files")).contains("README.md");
        assertThat(ui.fleet().state(id)).isEqualTo("completed");
        ui.screenshot("task");
    }

    @Test
    void a_row_of_the_list_changes_live_and_failed_tasks_are_bulk_retried_after_the_count() throws Exception {
        String marker = "m" + UUID.randomUUID().toString().substring(0, 8);
        ui.signIn(Role.ADMIN);
        ui.open("/ui/tasks?q=" + marker);
        ui.waitForLive();
        assertThat(ui.present("#task-rows tr")).isFalse();
        List<String> failing = List.of(
                ui.fleet().createTask("test", "Flaky suite " + marker, "Make it pass.", "autonomous",
                        "\"test_command\":\"exit 3\",\"max_attempts\":1"),
                ui.fleet().createTask("test", "Broken build " + marker, "Make it pass.", "autonomous",
                        "\"test_command\":\"exit 3\",\"max_attempts\":1"));
        // Live: new tasks appear on the first page, and their rows follow them to the end, without a reload.
        ui.waitFor(d -> d.findElements(By.cssSelector("#task-rows tr")).size() == 2);
        for (String id : failing) {
            ui.waitFor(d -> List.of("failed", "dead").contains(rowState(id)));
        }
        ui.screenshot("tasks");

        ui.find("#select-matching").click();
        assertThat(ui.text("#selected-count")).contains("all tasks matching the filter");
        ui.find("#bulk-retry").click();
        ui.waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("bulk-count")));
        assertThat(ui.text("#bulk-count")).contains("2 task(s) match the filter").contains("2 can be retried");
        for (String id : failing) {
            assertThat(ui.fleet().state(id)).as("the count first: nothing retried yet").isIn("failed", "dead");
        }
        // The type's queue paused: the retried tasks wait in it, so the rows must show them queued again
        // (a worker would otherwise run and fail them again between two refreshes).
        assertThat(ui.fleet().call("POST", "/api/v1/queue/test/pause", null).statusCode()).isLessThan(300);
        ui.find("#bulk-confirm-button").click();
        ui.waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("bulk-result")));
        assertThat(ui.text("#bulk-result")).contains("Retried 2 of 2");
        ui.find("#bulk-result ~ .actions [data-close-dialog]").click();
        // Queued again: the list shows it live.
        try {
            for (String id : failing) {
                ui.waitFor(d -> "queued".equals(rowState(id)));
            }
        } finally {
            ui.fleet().call("POST", "/api/v1/queue/test/resume", null);
        }
        WebElement dialog = ui.find("#bulk-dialog");
        assertThat(dialog.getDomAttribute("open")).isNull();
    }

    /** A row's task state, read in one step (a live update may replace the row at any moment). */
    private static String rowState(String id) {
        return (String) ((JavascriptExecutor) ui.driver()).executeScript(
                "var r = document.getElementById(arguments[0]); return r ? r.getAttribute('data-state') : null;", "row-" + id);
    }
}
