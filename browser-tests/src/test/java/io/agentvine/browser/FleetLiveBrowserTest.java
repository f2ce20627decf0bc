package io.agentvine.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.browser.BrowserFixture.Role;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The Fleet page follows a run live: the task appears on the worker's card with its step, then leaves; no reload. */
class FleetLiveBrowserTest {
    @RegisterExtension
    static final BrowserFixture ui = new BrowserFixture(Map.of("AGENTVINE_DEMO_STEP_DELAY", "1500ms"), Map.of());

    @Test
    void a_running_task_and_its_step_appear_on_the_workers_card_without_a_reload() throws Exception {
        ui.signIn(Role.ADMIN);
        ui.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".worker .worker-name"), "browser-worker"));
        ui.markPage();

        String id = ui.fleet().createTask("feature", "Greet in French", "Add a French greeting.", "autonomous", null);
        String card = ".worker .running-task[data-task='" + id + "']";
        ui.waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector(card)));
        assertThat(ui.text(card + " .task-title")).isEqualTo("Greet in French");
        assertThat(ui.text(card + " .repo")).contains("shop.git");
        assertThat(ui.text(card)).contains("feature").contains("attempt 1");
        String step = ui.waitFor(d -> {
            var s = d.findElements(By.cssSelector(card + " .step-name"));
            return s.isEmpty() || s.get(0).getText().isBlank() ? null : s.get(0).getText();
        });
        assertThat(step).isIn("preparing", "cloning", "agent running", "testing", "committing", "pushing", "pull request",
                "finishing");
        assertThat(ui.text("#slots-total .stat-value")).startsWith("1/");
        ui.screenshot("fleet-running");

        ui.waitFor(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(card)));
        // the card goes with the worker's beat; the completed event travels apart and may come a moment later
        String ended = ui.waitFor(d -> {
            try {
                return "completed".equals(ui.fleet().state(id)) ? "completed" : null;
            } catch (Exception e) {
                return null;
            }
        });
        assertThat(ended).isEqualTo("completed");
        assertThat(ui.samePage()).as("updated in place, no reload").isTrue();
    }
}
