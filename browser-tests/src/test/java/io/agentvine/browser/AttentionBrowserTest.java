package io.agentvine.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentvine.browser.BrowserFixture.Role;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Attention: an agent's question arrives live (the nav's badge counts it), is answered from the page
 * with one of its options, and the run goes on to completion with that answer.
 */
class AttentionBrowserTest {
    @RegisterExtension
    static final BrowserFixture ui = new BrowserFixture().withAgentScript("""
            answer=$(vine-ask "Which cache?" --option redis --option memcached)
            printf '%s\\n' "$answer" > ANSWER.md
            """);

    @Test
    void a_question_is_answered_from_the_attention_page_and_the_run_goes_on() throws Exception {
        ui.signIn(Role.ADMIN);
        ui.open("/ui/attention");
        ui.waitForLive();
        ui.waitFor(ExpectedConditions.presenceOfElementLocated(By.id("nothing-pending")));
        ui.markPage();

        String id = ui.fleet().createTask("feature", "Add a session cache", "Cache sessions.", "autonomous", null);
        String card = ".clarification[data-kind=question]";
        ui.waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector(card)));
        assertThat(ui.text(card + " .question")).isEqualTo("Which cache?");
        assertThat(ui.text(card + " h2")).isEqualTo("Add a session cache");
        ui.waitFor(ExpectedConditions.textToBe(By.id("attention-badge"), "1"));
        ui.screenshot("attention");

        ui.click(card + " button[data-action=option][value=redis]");
        ui.waitFor(ExpectedConditions.presenceOfElementLocated(By.id("nothing-pending")));
        ui.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#flash .flash-success"), "Answer sent"));
        ui.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("table.recent"), "redis"));
        assertThat(ui.samePage()).isTrue();

        await().atMost(Duration.ofSeconds(60)).until(() -> "completed".equals(ui.fleet().state(id)));
        assertThat(ui.text("#attention-badge")).isEmpty();
    }
}
