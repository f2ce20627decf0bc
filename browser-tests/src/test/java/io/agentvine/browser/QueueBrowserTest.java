package io.agentvine.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.browser.BrowserFixture.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The Queue page: reorder and remove waiting orders; a stale action's 409 message; a viewer's read-only view. */
class QueueBrowserTest {
    @RegisterExtension
    static final BrowserFixture ui = new BrowserFixture();

    @Test
    void an_admin_reorders_and_removes_waiting_tasks_and_sees_a_stale_action_refused() throws Exception {
        // The docs queue is paused: its orders stay waiting for the test.
        assertThat(ui.fleet().call("POST", "/api/v1/queue/docs/pause", null).statusCode()).isEqualTo(202);
        String a = ui.fleet().createTask("docs", "Document the API", "Write docs/api.md.", "autonomous", null);
        String b = ui.fleet().createTask("docs", "Document the CLI", "Write docs/cli.md.", "autonomous", null);
        String c = ui.fleet().createTask("docs", "Document the queue", "Write docs/queue.md.", "autonomous", null);

        ui.signIn(Role.ADMIN);
        ui.open("/ui/queue?type=docs");
        ui.waitForLive();
        String rows = "section[data-queue=docs] table.waiting tbody tr";
        ui.waitFor(d -> ui.texts(rows + " .task-title").equals(java.util.List.of(
                "Document the API", "Document the CLI", "Document the queue")));
        assertThat(ui.text("[data-type-tab=docs]")).contains("paused");
        ui.screenshot("queue");
        ui.markPage();

        ui.click("tr[data-task='" + c + "'] [data-action=top]");
        ui.waitFor(d -> ui.texts(rows + " .task-title").equals(java.util.List.of(
                "Document the queue", "Document the API", "Document the CLI")));
        ui.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#flash .flash-success"), "Moved " + c + " top"));

        ui.click("tr[data-task='" + b + "'] [data-action=up]");
        ui.waitFor(d -> ui.texts(rows + " .task-title").equals(java.util.List.of(
                "Document the queue", "Document the CLI", "Document the API")));

        ui.click("tr[data-task='" + a + "'] [data-action=remove]");
        ui.waitFor(ExpectedConditions.alertIsPresent()).accept();
        ui.waitFor(d -> !ui.present("tr[data-task='" + a + "']"));
        assertThat(ui.fleet().state(a)).isEqualTo("cancelled");

        // Cancelled elsewhere: the row leaves the page live. A page that had not caught up yet (its
        // button still there) sends the move anyway: the 409 message shows inline.
        assertThat(ui.fleet().call("DELETE", "/api/v1/tasks/" + b, null).statusCode()).isLessThan(300);
        ui.waitFor(d -> !ui.present("tr[data-task='" + b + "']"));
        ((org.openqa.selenium.JavascriptExecutor) ui.driver()).executeScript(
                "htmx.ajax('POST', arguments[0], {target: '#queue'})", "/ui/queue/tasks/" + b + "/move?to=top&type=docs");
        ui.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#flash .flash-error"), b));
        assertThat(ui.text("#flash .flash-error")).contains("only a queued task can be moved");
        assertThat(ui.samePage()).as("no reload").isTrue();
    }

    @Test
    void a_viewer_sees_the_queue_without_any_action() throws Exception {
        ui.fleet().createTask("docs", "Viewer reads this", "Write VIEW.md.", "autonomous", null);
        assertThat(ui.fleet().call("POST", "/api/v1/queue/docs/pause", null).statusCode()).isEqualTo(202);
        ui.signIn(Role.VIEWER);
        ui.open("/ui/queue?type=docs");
        ui.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("section[data-queue=docs]"), "Viewer reads this"));
        assertThat(ui.present("[data-action]")).isFalse();
        assertThat(ui.present("select[name=priority]")).isFalse();
    }
}
