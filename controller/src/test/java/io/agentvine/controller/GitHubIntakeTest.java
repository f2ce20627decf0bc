package io.agentvine.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.agentvine.controller.persistence.GitHubDeliveryRepository;
import io.agentvine.controller.persistence.GitHubDeliveryRow;
import io.agentvine.model.Json;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.model.LifecycleEventType;
import io.agentvine.model.TaskType;
import io.agentvine.model.WorkOrder;
import io.agentvine.queue.Claim;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Tasks from GitHub (issue #22) against the real controller (H2, Redis): recorded webhook payloads signed as GitHub
 * signs them, and a RECORDING endpoint on loopback standing in for GitHub's REST API that keeps what the
 * controller posts (the comments) — GitHub itself cannot be reached here.
 */
@MicronautTest(transactional = false)
class GitHubIntakeTest extends ApiContractFixture {
    private static final String SECRET = "whsec-" + UUID.randomUUID();
    private static final String TOKEN = "ghp_test_" + UUID.randomUUID().toString().replace("-", "");
    private static final RecordingGitHub GITHUB = new RecordingGitHub();

    /** GitHub's REST API as far as the controller uses it: comments, each kept with its path and authorization. */
    static final class RecordingGitHub {
        record Comment(String path, String authorization, String body) {
        }

        final List<Comment> comments = new CopyOnWriteArrayList<>();
        final HttpServer server;

        RecordingGitHub() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                boolean ok = exchange.getRequestMethod().equals("POST") && exchange.getRequestURI().getPath().matches(
                        "/repos/[^/]+/[^/]+/issues/\\d+/comments");
                if (ok) {
                    comments.add(new Comment(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("Authorization"),
                            (String) Json.read(body, Map.class).get("body")));
                }
                byte[] answer = ok ? "{\"id\":1}".getBytes(StandardCharsets.UTF_8) : "{\"message\":\"Not Found\"}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(ok ? 201 : 404, answer.length);
                exchange.getResponseBody().write(answer);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        List<Comment> on(String path) {
            return comments.stream().filter(c -> c.path().equals(path)).toList();
        }
    }

    @Inject
    GitHubDeliveryRepository deliveries;

    @AfterAll
    void stopGitHub() {
        GITHUB.server.stop(0);
    }

    @Override
    protected Map<String, String> database() {
        return TestDatabases.h2();
    }

    @Override
    public Map<String, String> getProperties() {
        return propertiesWith("agentvine.github.webhook-secret", SECRET, "agentvine.github.api-url", GITHUB.url(),
                "agentvine.github.token", TOKEN, "agentvine.github.bot-login", "agentvine-bot",
                "agentvine.github.max-auto-follow-ups", "1",
                "agentvine.github.repositories", "acme/*=https://git.example.com/{owner}/{repo}.git");
    }

    @Test
    void a_labelled_issue_becomes_a_task_once_and_the_issue_hears_of_it_and_of_its_end() {
        HttpResponse<String> first = deliver("issues", payload("issues-labeled.json", Map.of()));
        assertThat(first.getStatus().getCode()).isEqualTo(201);
        String id = (String) Json.read(first.body(), Map.class).get("task_id");
        Map<String, Object> task = call(ADMIN, HttpRequest.GET("/api/v1/tasks/" + id));
        assertThat(task).containsEntry("type", "feature").containsEntry("title", "Export orders as CSV")
                .containsEntry("repository_url", "https://git.example.com/acme/shop.git").containsEntry("branch", "main")
                .containsEntry("idempotency_key", "github:acme/shop#42:feature");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !GITHUB.on("/repos/acme/shop/issues/42/comments").isEmpty());
        RecordingGitHub.Comment said = GITHUB.on("/repos/acme/shop/issues/42/comments").get(0);
        assertThat(said.body()).contains(id).contains("feature");
        assertThat(said.authorization()).isEqualTo("Bearer " + TOKEN);

        String again = payload("issues-labeled.json", Map.of());
        HttpResponse<String> redelivery = http.toBlocking().exchange(signed("issues", again, lastDelivery), String.class);
        assertThat(redelivery.getStatus().getCode()).as("a redelivery does nothing").isEqualTo(200);
        assertThat(Json.read(redelivery.body(), Map.class).get("message").toString()).contains("taken before");

        complete(TaskType.FEATURE, id, Map.of("branch", "agentvine/feature/" + id, "pushed", true,
                "commit", "1111111111111111111111111111111111111111", "pr_url", "https://github.com/acme/shop/pull/77"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> GITHUB.on("/repos/acme/shop/issues/42/comments").size() == 2);
        assertThat(GITHUB.on("/repos/acme/shop/issues/42/comments").get(1).body()).contains("completed")
                .contains("https://github.com/acme/shop/pull/77");
    }

    @Test
    void a_members_command_makes_a_task_and_a_strangers_does_nothing() {
        HttpResponse<String> member = deliver("issue_comment", payload("issue-comment.json", Map.of("login", "tom", "association", "MEMBER")));
        assertThat(member.getStatus().getCode()).isEqualTo(201);
        String id = (String) Json.read(member.body(), Map.class).get("task_id");
        Map<String, Object> task = call(ADMIN, HttpRequest.GET("/api/v1/tasks/" + id));
        assertThat(task).containsEntry("type", "bugfix");

        int before = GITHUB.comments.size();
        HttpResponse<String> stranger = deliver("issue_comment", payload("issue-comment.json", Map.of("login", "drive-by",
                "association", "NONE")));
        assertThat(stranger.getStatus().getCode()).isEqualTo(202);
        assertThat(Json.read(stranger.body(), Map.class).get("message").toString()).contains("NONE");
        assertThat(GITHUB.comments).hasSize(before);
    }

    @Test
    void a_review_asking_for_changes_follows_up_on_the_branch_and_the_limit_stops_a_loop() {
        String id = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("feature", "P2"))).get("id");
        String branch = "agentvine/feature/" + id;
        complete(TaskType.FEATURE, id, Map.of("branch", branch, "pushed", true, "commit", "1111111111111111111111111111111111111111",
                "pr_url", "https://github.com/acme/shop/pull/77"));

        HttpResponse<String> review = deliver("pull_request_review", payload("pull-request-review.json", Map.of("branch", branch)));
        assertThat(review.getStatus().getCode()).isEqualTo(201);
        String followUp = (String) Json.read(review.body(), Map.class).get("task_id");
        Map<String, Object> made = call(ADMIN, HttpRequest.GET("/api/v1/tasks/" + followUp));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> chain = (List<Map<String, Object>>) made.get("chain");
        assertThat(chain).extracting(c -> c.get("id")).containsExactly(id, followUp);
        assertThat(made.get("title").toString()).contains("review").contains("acme/shop#77");

        HttpResponse<String> check = deliver("check_run", payload("check-run-failed.json", Map.of("branch", branch)));
        assertThat(check.getStatus().getCode()).as("max-auto-follow-ups is 1").isEqualTo(202);
        assertThat(Json.read(check.body(), Map.class).get("message").toString()).contains("max-auto-follow-ups");

        HttpResponse<String> notOurs = deliver("pull_request_review", payload("pull-request-review.json", Map.of("branch", "feature/human")));
        assertThat(notOurs.getStatus().getCode()).isEqualTo(202);
    }

    @Test
    void a_failed_check_and_a_members_review_comment_follow_up_with_what_they_say_and_a_strangers_review_does_nothing() {
        String first = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("feature", "P2"))).get("id");
        String firstBranch = "agentvine/feature/" + first;
        complete(TaskType.FEATURE, first, Map.of("branch", firstBranch, "pushed", true,
                "commit", "1111111111111111111111111111111111111111", "pr_url", "https://github.com/acme/shop/pull/91"));
        String passed = payload("check-run-failed.json", Map.of("branch", firstBranch)).replace("\"number\": 77", "\"number\": 91")
                .replace("\"conclusion\": \"failure\"", "\"conclusion\": \"success\"");
        assertThat(deliver("check_run", passed).getStatus().getCode()).as("a passing check").isEqualTo(202);
        HttpResponse<String> failed = deliver("check_run", payload("check-run-failed.json", Map.of("branch", firstBranch))
                .replace("\"number\": 77", "\"number\": 91"));
        assertThat(failed.getStatus().getCode()).isEqualTo(201);
        String checkFollowUp = (String) Json.read(failed.body(), Map.class).get("task_id");
        WorkOrder fix = claimed(TaskType.FEATURE, checkFollowUp).order();
        assertThat(fix.instructions()).contains("The check 'build (17)' failed (failure)").contains("1 test failed")
                .contains("CsvExportTest.quotes_commas FAILED").contains("but was: \"Smith, J\"");
        assertThat(fix.title()).contains("failed check").contains("acme/shop#91");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !GITHUB.on("/repos/acme/shop/issues/91/comments").isEmpty());
        assertThat(GITHUB.on("/repos/acme/shop/issues/91/comments").get(0).body()).contains(checkFollowUp).contains("1 of at most 1");

        String second = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("feature", "P2"))).get("id");
        String secondBranch = "agentvine/feature/" + second;
        complete(TaskType.FEATURE, second, Map.of("branch", secondBranch, "pushed", true,
                "commit", "2222222222222222222222222222222222222222", "pr_url", "https://github.com/acme/shop/pull/92"));
        HttpResponse<String> strangersReview = deliver("pull_request_review", payload("pull-request-review.json",
                Map.of("branch", secondBranch)).replace("\"number\": 77", "\"number\": 92").replace("\"MEMBER\"", "\"NONE\""));
        assertThat(strangersReview.getStatus().getCode()).as("a stranger's review").isEqualTo(202);
        assertThat(Json.read(strangersReview.body(), Map.class).get("message").toString()).contains("NONE");
        HttpResponse<String> strangersComment = deliver("pull_request_review_comment", payload("pull-request-review-comment.json",
                Map.of("branch", secondBranch, "number", "92", "login", "drive-by", "association", "FIRST_TIME_CONTRIBUTOR")));
        assertThat(strangersComment.getStatus().getCode()).as("a stranger's review comment").isEqualTo(202);
        assertThat(GITHUB.on("/repos/acme/shop/issues/92/comments")).as("strangers hear nothing").isEmpty();

        HttpResponse<String> members = deliver("pull_request_review_comment", payload("pull-request-review-comment.json",
                Map.of("branch", secondBranch, "number", "92", "login", "maria", "association", "COLLABORATOR")));
        assertThat(members.getStatus().getCode()).isEqualTo(201);
        WorkOrder review = claimed(TaskType.FEATURE, (String) Json.read(members.body(), Map.class).get("task_id")).order();
        assertThat(review.instructions()).contains("`src/main/java/shop/CsvExport.java` line 41")
                .contains("This drops the header row when the list is empty.");
    }

    @Test
    void bad_signatures_unknown_events_oversize_bodies_and_the_fleets_own_login_are_turned_away() {
        String body = payload("issues-labeled.json", Map.of());
        HttpRequest<String> forged = HttpRequest.POST("/api/v1/integrations/github/webhook", body)
                .contentType(MediaType.APPLICATION_JSON_TYPE).header("X-GitHub-Event", "issues")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString()).header("X-Hub-Signature-256", "sha256=" + "00".repeat(32));
        assertThat(refused(forged).getStatus().getCode()).isEqualTo(401);

        assertThat(deliver("star", "{\"action\":\"created\",\"repository\":{\"full_name\":\"acme/shop\"}}").getStatus().getCode())
                .isEqualTo(202);
        assertThat(deliver("issues", body.replace("acme/shop", "evil/shop")).getStatus().getCode()).as("not admitted").isEqualTo(202);
        String own = body.replace("\"sender\": {\"login\": \"maria\"", "\"sender\": {\"login\": \"agentvine-bot\"");
        HttpResponse<String> fromBot = deliver("issues", own);
        assertThat(fromBot.getStatus().getCode()).isEqualTo(202);
        assertThat(Json.read(fromBot.body(), Map.class).get("message").toString()).contains("own login");

        String huge = "{\"pad\":\"" + "x".repeat(1_100_000) + "\"}";
        assertThat(refused(signed("issues", huge, UUID.randomUUID().toString())).getStatus().getCode()).isEqualTo(413);
    }


    @Test
    void a_forks_branch_named_like_the_fleets_and_a_branch_naming_another_repositorys_task_steer_nothing() {
        String id = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("feature", "P2"))).get("id");
        String branch = "agentvine/feature/" + id;
        complete(TaskType.FEATURE, id, Map.of("branch", branch, "pushed", true, "commit", "1111111111111111111111111111111111111111",
                "pr_url", "https://github.com/acme/shop/pull/93"));
        HttpResponse<String> fork = deliver("pull_request_review", payload("pull-request-review.json", Map.of("branch", branch,
                "head_repo", "777001", "head_full_name", "stranger/shop")).replace("\"number\": 77", "\"number\": 93"));
        assertThat(fork.getStatus().getCode()).isEqualTo(202);
        assertThat(Json.read(fork.body(), Map.class).get("message").toString()).contains("another repository");

        Map<String, Object> elsewhere = task("feature", "P2");
        elsewhere.put("repository_url", "https://git.example.com/acme/private-tools.git");
        String other = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", elsewhere)).get("id");
        HttpResponse<String> crossed = deliver("pull_request_review", payload("pull-request-review.json",
                Map.of("branch", "agentvine/feature/" + other)).replace("\"number\": 77", "\"number\": 94"));
        assertThat(crossed.getStatus().getCode()).isEqualTo(202);
        assertThat(Json.read(crossed.body(), Map.class).get("message").toString()).contains("task of another repository");
        assertThat(call(ADMIN, HttpRequest.GET("/api/v1/tasks/" + id)).get("chain")).as("no follow-up").isNull();
    }

    @Test
    void reviews_delivered_at_once_never_pass_the_pull_requests_limit() throws Exception {
        String id = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("feature", "P2"))).get("id");
        String branch = "agentvine/feature/" + id;
        complete(TaskType.FEATURE, id, Map.of("branch", branch, "pushed", true, "commit", "1111111111111111111111111111111111111111",
                "pr_url", "https://github.com/acme/shop/pull/95"));
        int n = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                String body = payload("pull-request-review.json", Map.of("branch", branch)).replace("\"number\": 77", "\"number\": 95")
                        .replace("2412990", Integer.toString(2500000 + i)); // n reviews of one pull request
                answers.add(pool.submit(() -> {
                    go.await();
                    return deliverQuietly("pull_request_review", body).getStatus().getCode();
                }));
            }
            go.countDown();
            List<Integer> codes = new java.util.ArrayList<>();
            for (var a : answers) {
                codes.add(a.get(30, java.util.concurrent.TimeUnit.SECONDS));
            }
            assertThat(codes).as("max-auto-follow-ups is 1").containsOnlyOnce(201).containsOnly(201, 202);
        } finally {
            pool.shutdownNow();
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> chain = (List<Map<String, Object>>) call(ADMIN, HttpRequest.GET("/api/v1/tasks/" + id)).get("chain");
        assertThat(chain).hasSize(2);
    }

    @Test
    void a_delivery_whose_taker_died_is_taken_by_its_redelivery_and_one_being_taken_is_answered_409() {
        String body = payload("issues-labeled.json", Map.of()).replace("\"number\": 42", "\"number\": 43");
        String stale = UUID.randomUUID().toString();
        deliveries.save(new GitHubDeliveryRow(stale, "issues", "taking", Instant.now().minus(Duration.ofMinutes(3))));
        HttpResponse<String> redelivered = http.toBlocking().exchange(signed("issues", body, stale), String.class);
        assertThat(redelivered.getStatus().getCode()).as("taken over").isEqualTo(201);

        String running = UUID.randomUUID().toString();
        deliveries.save(new GitHubDeliveryRow(running, "issues", "taking", Instant.now()));
        HttpClientResponseException busy = refused(signed("issues", body, running));
        assertThat(busy.getStatus().getCode()).isEqualTo(409);
    }

    @Test
    void an_issue_is_held_to_the_apis_rules() {
        HttpResponse<String> bell = deliver("issues", payload("issues-labeled.json", Map.of())
                .replace("\"number\": 42", "\"number\": 44").replace("Export orders as CSV", "Export\\u0007orders"));
        assertThat(bell.getStatus().getCode()).isEqualTo(422);
        assertThat(Json.read(bell.body(), Map.class).get("message").toString()).contains("title");
    }

    // ---- helpers ----------------------------------------------------------------------------

    private String lastDelivery;

    private static String payload(String name, Map<String, String> values) {
        try (InputStream in = GitHubIntakeTest.class.getResourceAsStream("/github/" + name)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> all = new java.util.HashMap<>(Map.of("head_repo", "61233", "head_full_name", "acme/shop"));
            all.putAll(values); // by default the pull request's head is a branch of the repository itself
            for (var v : all.entrySet()) {
                text = text.replace("{{" + v.getKey() + "}}", v.getValue());
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #deliver} from any thread (does not touch {@code lastDelivery}). */
    private HttpResponse<String> deliverQuietly(String event, String body) {
        return answer(signed(event, body, UUID.randomUUID().toString()));
    }

    private HttpResponse<String> deliver(String event, String body) {
        lastDelivery = UUID.randomUUID().toString();
        return answer(signed(event, body, lastDelivery));
    }

    /** The controller's answer, a refusal included. */
    private HttpResponse<String> answer(HttpRequest<String> request) {
        try {
            return http.toBlocking().exchange(request, String.class);
        } catch (HttpClientResponseException e) {
            return (HttpResponse<String>) (HttpResponse<?>) e.getResponse();
        }
    }

    private HttpRequest<String> signed(String event, String body, String delivery) {
        return HttpRequest.POST("/api/v1/integrations/github/webhook", body).contentType(MediaType.APPLICATION_JSON_TYPE)
                .header("X-GitHub-Event", event).header("X-GitHub-Delivery", delivery)
                .header("X-Hub-Signature-256", "sha256=" + hmac(body));
    }

    private HttpClientResponseException refused(HttpRequest<String> r) {
        try {
            http.toBlocking().exchange(r, String.class);
        } catch (HttpClientResponseException e) {
            return e;
        }
        throw new AssertionError("expected a refusal");
    }

    private static String hmac(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Claims {@code id}'s order (acknowledging the orders queued before it). */
    private Claim claimed(TaskType type, String id) {
        while (true) {
            Claim claim = queue.claim(type, "w-github").orElseThrow(() -> new AssertionError(id + " is not in the queue"));
            if (claim.id().equals(id)) {
                return claim;
            }
            queue.ack(claim);
        }
    }

    private void complete(TaskType type, String id, Map<String, Object> result) {
        Claim claim = claimed(type, id);
        lifecycle.publish(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.STARTED, id, "w-github",
                claim.attempt(), Instant.now()).taskType(type).claimedAt(Instant.now()).build());
        queue.ack(claim);
        lifecycle.publish(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.COMPLETED, id, "w-github",
                claim.attempt(), Instant.now()).taskType(type).result(result).build());
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> "completed".equals(call(ADMIN, HttpRequest.GET("/api/v1/tasks/" + id)).get("state")));
    }
}
