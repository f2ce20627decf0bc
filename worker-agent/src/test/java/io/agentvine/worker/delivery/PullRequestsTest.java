package io.agentvine.worker.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.agentvine.model.Json;
import io.agentvine.model.TaskType;
import io.agentvine.model.WorkOrder;
import io.agentvine.worker.workspace.SilentServer;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PullRequestsTest {
    private static WorkOrder order(String url, Map<String, Object> metadata) {
        return WorkOrder.builder("wo-1", TaskType.FEATURE).repositoryUrl(url).title("t").metadata(metadata).build();
    }

    @Test
    void the_request_is_exactly_what_github_expects_and_the_pr_url_comes_back() throws Exception {
        try (RecordingGitHub gh = new RecordingGitHub()) {
            PullRequests prs = new PullRequests(gh.apiBase(), "ghp-token-abc");
            PullRequests.Opened pr = prs.open("acme/shop", "agentvine/feature/t-1", "main", "Add CSV export", "AgentVine task t-1");
            assertThat(pr).isEqualTo(new PullRequests.Opened("https://github.com/acme/shop/pull/1347", 1347));
            RecordingGitHub.Received r = gh.requests().get(0);
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/api/v3/repos/acme/shop/pulls");
            assertThat(r.header("Authorization")).isEqualTo("Bearer ghp-token-abc");
            assertThat(r.header("Accept")).isEqualTo("application/vnd.github+json");
            assertThat(r.header("X-GitHub-Api-Version")).isEqualTo("2022-11-28");
            assertThat(r.header("User-Agent")).isNotBlank();
            assertThat(Json.read(r.body(), Map.class)).containsEntry("title", "Add CSV export")
                    .containsEntry("head", "agentvine/feature/t-1").containsEntry("base", "main")
                    .containsEntry("body", "AgentVine task t-1");
        }
    }

    @Test
    void a_refusal_is_reported_with_githubs_message_and_without_the_token() throws Exception {
        try (RecordingGitHub gh = new RecordingGitHub()) {
            gh.answerWith(422);
            assertThatThrownBy(() -> new PullRequests(gh.apiBase(), "ghp-token-abc").open("acme/shop", "h", "main", "t", "b"))
                    .hasMessageContaining("422").hasMessageContaining("already exists").hasMessageNotContaining("ghp-token-abc");
        }
    }

    @Test
    void an_api_that_never_answers_fails_the_pull_request_after_the_timeout_naming_the_server() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            PullRequests prs = new PullRequests(URI.create(silent.url("http", "api/v3")), "ghp-token-abc", Duration.ofSeconds(2));
            CompletableFuture<PullRequests.Opened> open = CompletableFuture.supplyAsync(() -> prs.open("acme/shop", "h", "main", "t", "b"));
            await().atMost(Duration.ofSeconds(2 + 5)).until(open::isDone);
            assertThatThrownBy(open::join).hasCauseInstanceOf(PullRequests.DeliveryException.class)
                    .hasMessageContaining("no answer from 127.0.0.1:" + silent.port() + " for 2 s");
        }
    }

    @Test
    void the_repository_comes_from_metadata_or_the_url() {
        assertThat(PullRequests.repository(order("https://github.com/acme/shop.git", Map.of()))).contains("acme/shop");
        assertThat(PullRequests.repository(order("git@github.com:acme/shop.git", Map.of()))).contains("acme/shop");
        assertThat(PullRequests.repository(order("ssh://git@ghe.example.com/acme/shop", Map.of()))).contains("acme/shop");
        assertThat(PullRequests.repository(order("file:///srv/git/shop.git", Map.of()))).isEmpty();
        assertThat(PullRequests.repository(order("file:///srv/git/shop.git", Map.of("github_repository", "acme/mirror"))))
                .contains("acme/mirror");
    }
}
