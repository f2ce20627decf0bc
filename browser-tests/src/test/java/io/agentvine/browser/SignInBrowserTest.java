package io.agentvine.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.browser.BrowserFixture.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** Sign-in, the Fleet page, sign-out (here, and in another tab); a wrong key; what a viewer may not do. */
class SignInBrowserTest {
    @RegisterExtension
    static final BrowserFixture ui = new BrowserFixture(Map.of(), Map.of("agentvine.ui.session-check", "1s"));

    @Test
    void an_admin_signs_in_sees_the_fleet_and_signs_out() throws Exception {
        ui.open("/ui/fleet");
        ui.waitFor(ExpectedConditions.urlContains("/ui/login"));
        ui.screenshot("sign-in");

        ui.signIn(Role.ADMIN);
        ui.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".worker .worker-name"), "browser-worker"));
        assertThat(ui.text(".who")).contains("admin-1").contains("admin");
        assertThat(ui.present("[data-action=pause]")).as("an admin gets the worker's actions").isTrue();
        assertThat(ui.text("#slots-total .stat-value")).startsWith("0/");
        assertThat(ui.text(".worker")).contains("0/2");
        assertThat(ui.driver().getPageSource()).doesNotContain(ui.key(Role.ADMIN));
        ui.screenshot("fleet");

        ui.click("#sign-out");
        ui.waitFor(ExpectedConditions.urlContains("/ui/login"));
        ui.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash"), "You are signed out."));
        ui.open("/ui/fleet");
        ui.waitFor(ExpectedConditions.urlContains("/ui/login?next="));
    }

    @Test
    void signed_out_in_another_tab_the_open_page_goes_to_the_sign_in_page_by_itself() throws Exception {
        ui.signIn(Role.ADMIN);
        ui.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".worker .worker-name"), "browser-worker"));
        ui.waitForLive();
        HttpResponse<String> out = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ui.baseUrl() + "/ui/logout"))
                .header("Cookie", "agentvine_session=" + ui.sessionCookie())
                .header("X-CSRF-Token", ui.csrfToken())
                .header("HX-Request", "true")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(out.statusCode()).isEqualTo(204);
        // No click here: the page's stream ends with "signed-out" and the page goes to sign in.
        ui.waitFor(ExpectedConditions.urlContains("/ui/login"));
    }

    @Test
    void a_wrong_key_is_refused_with_a_message() {
        ui.open("/ui/login");
        ui.find("#key").sendKeys("not-a-key");
        ui.click("#sign-in");
        ui.waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("key-error")));
        assertThat(ui.text("#key-error")).isEqualTo("key: this is not an admin or viewer key of this controller");
        assertThat(ui.driver().getCurrentUrl()).endsWith("/ui/login");
        assertThat(ui.driver().manage().getCookieNamed("agentvine_session")).isNull();
    }

    @Test
    void a_viewer_sees_no_action_and_a_forged_post_is_refused() throws Exception {
        ui.signIn(Role.VIEWER);
        ui.waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".worker .worker-name"), "browser-worker"));
        assertThat(ui.text(".who")).contains("viewer");
        assertThat(ui.present("[data-action]")).as("no action button for a viewer").isFalse();
        assertThat(ui.present("a[href='/ui/tasks/new']")).isFalse();

        String workerId = ui.find(".worker").getDomAttribute("data-worker");
        HttpResponse<String> forged = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(ui.baseUrl() + "/ui/workers/" + workerId + "/pause"))
                .header("Cookie", "agentvine_session=" + ui.sessionCookie())
                .header("X-CSRF-Token", ui.csrfToken())
                .header("HX-Request", "true")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("is a viewer key: only an admin key may do this");
    }
}
