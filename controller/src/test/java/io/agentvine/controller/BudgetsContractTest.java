package io.agentvine.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.controller.budgets.BudgetEnforcer;
import io.agentvine.controller.chains.ChainReleaser;
import io.agentvine.controller.lifecycle.LifecycleApplier;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.model.LifecycleEventType;
import io.agentvine.model.TaskType;
import io.agentvine.model.TokenUsage;
import io.agentvine.queue.Claim;
import io.agentvine.queue.testing.SettableClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Budgets in layers (issue #22) against a real Redis and a real database: usage pushed past the fleet's, a type's, a
 * repository's and a chain's cap makes claims wait (or holds the tasks), and raising the cap, resuming at once or the
 * day turning (a settable clock) lets them go. The loop is driven by {@link BudgetEnforcer#runOnce()}; the workers'
 * usage is applied as the lifecycle consumer applies it. Run on H2 and on PostgreSQL (the subclasses).
 */
abstract class BudgetsContractTest extends ApiContractFixture {
    static final String CAPPED_REPO = "https://git.example.com/acme/capped.git";
    /** Its budget key: every form of its URL counts on it. */
    static final String CAPPED_KEY = "git.example.com/acme/capped";

    @Inject
    BudgetEnforcer enforcer;

    @Inject
    ChainReleaser releaser;

    @Inject
    LifecycleApplier applier;

    @Inject
    SettableClock clock;

    @Inject
    MeterRegistry meters;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(super.getProperties());
        p.put("test.settable-clock", "true");
        p.put("agentvine.background.enabled", "false");
        p.put("agentvine.budgets.fleet-usd", "50");
        p.put("agentvine.budgets.type-usd", "docs=5");
        p.put("agentvine.budgets.type-tokens", "review=1000");
        p.put("agentvine.budgets.repo-usd", CAPPED_REPO + "=3");
        return p;
    }

    /** Each test starts on a day of its own: the daily budgets start from nothing. */
    @BeforeEach
    void nextDay() {
        clock.advance(Duration.ofDays(1));
        enforcer.runOnce();
    }

    @Test
    void the_fleet_cap_pauses_claims_of_every_type_until_an_operator_raises_it() {
        String t = create("refactor", "https://git.example.com/acme/shop.git");
        Claim c = claimOf(TaskType.REFACTOR, t);
        usage(c, 30.0, 100);
        assertThat(enforcer.runOnce().pausedTypes()).isEmpty();
        usage(c, 25.0, 100);
        BudgetEnforcer.Pass pass = enforcer.runOnce();
        assertThat(pass.pausedTypes()).contains("refactor", "docs", "feature");
        assertThat(pass.fired()).contains("fleet:all:80", "fleet:all:90", "fleet:all:100");

        String waiting = create("refactor", "https://git.example.com/acme/shop.git");
        assertThat(queue.claim(TaskType.REFACTOR, "w1")).as("claims wait").isEmpty();
        Map<String, Object> shown = call(ADMIN, HttpRequest.GET("/api/v1/queue/refactor"));
        assertThat(shown).containsEntry("budget_paused", true).containsEntry("paused", false);
        assertThat(budget("fleet", "all")).containsEntry("paused", true);
        String page = http.toBlocking().retrieve(HttpRequest.GET("/ui/queue?type=refactor").accept("text/html").bearerAuth(ADMIN));
        assertThat(page).contains("data-budget-paused").contains("budget_paused");

        call(ADMIN, HttpRequest.PUT("/api/v1/budgets/fleet/all", Map.of("usd", 10_000)));
        assertThat(enforcer.runOnce().pausedTypes()).isEmpty();
        assertThat(claimOf(TaskType.REFACTOR, waiting).id()).isEqualTo(waiting);
        assertThat(budget("fleet", "all")).containsEntry("paused", false);
        call(ADMIN, HttpRequest.PUT("/api/v1/budgets/fleet/all", Map.of("usd", 50)));
    }

    @Test
    void a_type_cap_pauses_that_type_alone_until_the_day_turns() {
        String t = create("docs", "https://git.example.com/acme/shop.git");
        usage(claimOf(TaskType.DOCS, t), 6.0, 10);
        assertThat(enforcer.runOnce().pausedTypes()).containsExactly("docs");
        String next = create("docs", "https://git.example.com/acme/shop.git");
        assertThat(queue.claim(TaskType.DOCS, "w1")).isEmpty();
        assertThat(queue.stats(TaskType.FEATURE).budgetPaused()).isFalse();

        clock.advance(Duration.ofDays(1));
        assertThat(enforcer.runOnce().pausedTypes()).isEmpty();
        assertThat(claimOf(TaskType.DOCS, next).id()).isEqualTo(next);
    }

    @Test
    void a_token_cap_counts_input_and_output_tokens_and_an_operator_resumes_it_at_once() {
        String t = create("review", "https://git.example.com/acme/shop.git");
        usage(claimOf(TaskType.REVIEW, t), 0.01, 1200);
        assertThat(enforcer.runOnce().pausedTypes()).containsExactly("review");
        String next = create("review", "https://git.example.com/acme/shop.git");

        Map<String, Object> resumed = call(ADMIN, HttpRequest.POST("/api/v1/budgets/type/review/resume", ""));
        assertThat(resumed).containsEntry("resumed", true).containsEntry("paused", false);
        assertThat(enforcer.runOnce().pausedTypes()).isEmpty();
        assertThat(claimOf(TaskType.REVIEW, next).id()).isEqualTo(next);
    }

    @Test
    void a_repository_cap_holds_its_queued_tasks_out_of_the_queue_until_the_cap_is_raised() {
        String first = create("bugfix", CAPPED_REPO);
        String other = create("bugfix", "https://git.example.com/acme/shop.git");
        usage(claimOf(TaskType.BUGFIX, first), 4.0, 10);
        String held = create("bugfix", "https://GIT.example.com/acme/capped/"); // another form of the same repository

        BudgetEnforcer.Pass pass = enforcer.runOnce();
        assertThat(pass.held()).containsExactly(held);
        assertThat(pass.pausedTypes()).isEmpty();
        assertThat(get(held)).containsEntry("state", "waiting");
        assertThat(queue.get(TaskType.BUGFIX, held)).as("out of the queue").isEmpty();
        assertThat(queue.get(TaskType.BUGFIX, other)).as("other repositories run").isPresent();
        releaser.runOnce();
        assertThat(get(held)).as("the chain releaser leaves a held task alone").containsEntry("state", "waiting");
        Map<String, Object> made = call(ADMIN, HttpRequest.POST("/api/v1/tasks", new HashMap<>(Map.of("type", "bugfix",
                "repository_url", CAPPED_REPO, "title", "Late", "instructions", "Fix it."))));
        assertThat(made).as("a new task is held before it is enqueued").containsEntry("state", "waiting")
                .containsEntry("note", "budget: the repo " + CAPPED_KEY + " reached its cap");
        String late = (String) made.get("id");
        assertThat(get(late)).containsEntry("state", "waiting");
        assertThat(queue.get(TaskType.BUGFIX, late)).isEmpty();

        String key = URLEncoder.encode(CAPPED_REPO, StandardCharsets.UTF_8);
        Map<String, Object> raised = call(ADMIN, HttpRequest.PUT("/api/v1/budgets/repo/" + key, Map.of("usd", 100)));
        assertThat(raised).as("the URL names the repository's key").containsEntry("key", CAPPED_KEY).containsEntry("paused", false);
        assertThat(enforcer.runOnce().unheld()).containsExactlyInAnyOrder(held, late);
        assertThat(get(held)).containsEntry("state", "queued");
        assertThat(queue.get(TaskType.BUGFIX, held)).isPresent();
        assertThat(queue.get(TaskType.BUGFIX, late)).isPresent();
        call(ADMIN, HttpRequest.PUT("/api/v1/budgets/repo/" + key, Map.of("usd", 3)));
    }

    @Test
    void a_held_repository_goes_on_when_the_day_turns() {
        String first = create("bugfix", CAPPED_REPO);
        usage(claimOf(TaskType.BUGFIX, first), 3.0, 10);
        String held = create("bugfix", CAPPED_REPO);
        assertThat(enforcer.runOnce().held()).containsExactly(held);
        assertThat(budget("repo", CAPPED_KEY)).containsEntry("paused", true);

        clock.advance(Duration.ofDays(1));
        assertThat(enforcer.runOnce().unheld()).containsExactly(held);
        assertThat(get(held)).containsEntry("state", "queued");
        assertThat(claimOf(TaskType.BUGFIX, held).id()).isEqualTo(held);
    }

    /** Its key holds the name decoded ("My Repo"), its tasks' URLs hold it escaped ("My%20Repo"): they are held all the same. */
    @Test
    void a_repository_whose_name_its_urls_escape_is_held_as_well() {
        String repo = "https://git.example.com/acme/My%20Repo.git";
        String path = "/api/v1/budgets/repo/" + URLEncoder.encode(repo, StandardCharsets.UTF_8);
        Map<String, Object> capped = call(ADMIN, HttpRequest.PUT(path, Map.of("usd", 2)));
        assertThat(capped).containsEntry("key", "git.example.com/acme/My Repo");
        try {
            String first = create("bugfix", repo);
            usage(claimOf(TaskType.BUGFIX, first), 2.5, 10);
            String held = create("bugfix", repo);

            assertThat(enforcer.runOnce().held()).containsExactly(held);
            assertThat(get(held)).containsEntry("state", "waiting");
            assertThat(queue.get(TaskType.BUGFIX, held)).as("out of the queue").isEmpty();
        } finally {
            call(ADMIN, HttpRequest.PUT(path, Map.of("usd", 1_000_000)));
            enforcer.runOnce();
        }
    }

    @Test
    void a_chain_cap_holds_the_chains_next_step_until_the_cap_is_raised() {
        Map<String, Object> body = new HashMap<>(task("feature", "P2"));
        body.remove("type");
        body.remove("instructions");
        body.put("chain_max_cost_usd", 2.0);
        body.put("pipeline", List.of(Map.of("name", "build", "type", "feature", "instructions", "Build it."),
                Map.of("name", "cover", "type", "test", "instructions", "Test it.")));
        List<Map<String, Object>> steps = (List<Map<String, Object>>) call(ADMIN, HttpRequest.POST("/api/v1/tasks", body)).get("pipeline");
        String build = (String) steps.get(0).get("id");
        String cover = (String) steps.get(1).get("id");
        Claim c = claimOf(TaskType.FEATURE, build);
        usage(c, 2.5, 10);
        queue.ack(c);
        applier.apply(event(c, LifecycleEventType.COMPLETED).result(Map.of("branch", "agentvine/feature/" + build)).build());
        releaser.runOnce();
        assertThat(get(cover)).containsEntry("state", "queued");

        BudgetEnforcer.Pass pass = enforcer.runOnce();
        assertThat(pass.held()).containsExactly(cover);
        assertThat(pass.fired()).contains("chain:" + build + ":100");
        assertThat(get(cover)).containsEntry("state", "waiting");
        assertThat(budget("chain", build)).containsEntry("paused", true);

        call(ADMIN, HttpRequest.PUT("/api/v1/budgets/chain/" + build, Map.of("usd", 10)));
        assertThat(enforcer.runOnce().unheld()).containsExactly(cover);
        assertThat(get(cover)).containsEntry("state", "queued");
        assertThat(claimOf(TaskType.TEST, cover).id()).isEqualTo(cover);
    }

    @Test
    void a_chains_token_cap_holds_its_next_step_and_a_resume_lets_it_go_at_once() {
        Map<String, Object> body = new HashMap<>(task("feature", "P2"));
        body.remove("type");
        body.remove("instructions");
        body.put("pipeline", List.of(Map.of("name", "build", "type", "feature", "instructions", "Build it."),
                Map.of("name", "document", "type", "docs", "instructions", "Document it.")));
        List<Map<String, Object>> steps = (List<Map<String, Object>>) call(ADMIN, HttpRequest.POST("/api/v1/tasks", body)).get("pipeline");
        String build = (String) steps.get(0).get("id");
        String document = (String) steps.get(1).get("id");
        assertThat(call(ADMIN, HttpRequest.PUT("/api/v1/budgets/chain/" + build, Map.of("tokens", 50)))).containsEntry("paused", false);
        Claim c = claimOf(TaskType.FEATURE, build);
        usage(c, 0.01, 60);
        queue.ack(c);
        applier.apply(event(c, LifecycleEventType.COMPLETED).result(Map.of("branch", "agentvine/feature/" + build)).build());
        releaser.runOnce();

        BudgetEnforcer.Pass pass = enforcer.runOnce();
        assertThat(pass.held()).as("60 of 50 tokens").containsExactly(document);
        assertThat(get(document)).containsEntry("state", "waiting");
        assertThat(spent("chain", build)).isEqualTo("0.01 USD, 60 tokens");

        assertThat(call(ADMIN, HttpRequest.POST("/api/v1/budgets/chain/" + build + "/resume", ""))).containsEntry("resumed", true)
                .containsEntry("paused", false);
        assertThat(enforcer.runOnce().unheld()).containsExactly(document);
        assertThat(claimOf(TaskType.DOCS, document).id()).isEqualTo(document);
    }

    @Test
    void a_task_made_on_its_own_brings_what_it_spent_into_the_chain_its_first_follow_up_starts() {
        String first = create("feature", "https://git.example.com/acme/alone.git");
        Claim c = claimOf(TaskType.FEATURE, first);
        usage(c, 0.5, 60);
        queue.ack(c);
        applier.apply(event(c, LifecycleEventType.COMPLETED).result(Map.of("branch", "agentvine/feature/" + first)).build());

        String followUp = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks/" + first + "/follow-ups",
                Map.of("instructions", "Now the tests."))).get("id");
        assertThat(spent("chain", first)).as("the first task's spending counts for its chain").isEqualTo("0.5 USD, 60 tokens");
        call(ADMIN, HttpRequest.PUT("/api/v1/budgets/chain/" + first, Map.of("tokens", 50)));
        assertThat(enforcer.runOnce().held()).as("60 of 50 tokens").containsExactly(followUp);
    }

    @Test
    void usage_applied_twice_counts_once_and_each_threshold_fires_once() {
        String t = create("feature", "https://git.example.com/acme/shop.git");
        Claim c = claimOf(TaskType.FEATURE, t);
        LifecycleEvent report = event(c, LifecycleEventType.TOKEN_USAGE).tokenUsage(new TokenUsage(100, 50, 7, 3))
                .costUsd(41.0).build();
        assertThat(applier.apply(report)).isTrue();
        assertThat(applier.apply(report)).as("a redelivery").isFalse();
        assertThat(spent("fleet", "all")).isEqualTo("41.0 USD, 150 tokens");
        double before = thresholds("fleet", "80");

        assertThat(enforcer.runOnce().fired()).containsExactly("fleet:all:80");
        assertThat(enforcer.runOnce().fired()).isEmpty();
        assertThat(thresholds("fleet", "80")).isEqualTo(before + 1);
        // released: the run's usage still counts, once
        applier.apply(event(c, LifecycleEventType.RELEASED).costUsd(5.0).build());
        assertThat(enforcer.runOnce().fired()).containsExactly("fleet:all:90");
        assertThat(spent("fleet", "all")).isEqualTo("46.0 USD, 150 tokens");
    }

    @Test
    void wrong_scopes_keys_and_caps_are_refused_naming_the_field() {
        HttpClientResponseException scope = failure(ADMIN, HttpRequest.PUT("/api/v1/budgets/galaxy/all", Map.of("usd", 1)));
        assertThat(scope.getStatus().getCode()).isEqualTo(400);
        assertThat(errorBody(scope)).containsEntry("field", "scope");
        HttpClientResponseException fleetKey = failure(ADMIN, HttpRequest.PUT("/api/v1/budgets/fleet/mine", Map.of("usd", 1)));
        assertThat(errorBody(fleetKey)).containsEntry("field", "key");
        HttpClientResponseException negative = failure(ADMIN, HttpRequest.PUT("/api/v1/budgets/type/docs", Map.of("usd", -1)));
        assertThat(errorBody(negative)).containsEntry("field", "usd");
        HttpClientResponseException type = failure(ADMIN, HttpRequest.PUT("/api/v1/budgets/type/nope", Map.of("usd", 1)));
        assertThat(errorBody(type)).containsEntry("field", "type");
        HttpClientResponseException chain = failure(ADMIN, HttpRequest.POST("/api/v1/budgets/chain/t-none/resume", ""));
        assertThat(chain.getStatus().getCode()).isEqualTo(404);
        assertThat(failure(null, HttpRequest.GET("/api/v1/budgets")).getStatus().getCode()).isEqualTo(401);
    }

    // ---- helpers ----------------------------------------------------------------------------

    private String create(String type, String repository) {
        Map<String, Object> t = new HashMap<>(task(type, "P2"));
        t.put("repository_url", repository);
        return (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", t)).get("id");
    }

    private Map<String, Object> get(String id) {
        return call(ADMIN, HttpRequest.GET("/api/v1/tasks/" + id));
    }

    private Claim claimOf(TaskType type, String id) {
        while (true) {
            Claim claim = queue.claim(type, "w-budget").orElseThrow(() -> new AssertionError(id + " is not claimable"));
            if (claim.id().equals(id)) {
                return claim;
            }
            queue.ack(claim);
        }
    }

    private LifecycleEvent.Builder event(Claim c, LifecycleEventType type) {
        return LifecycleEvent.builder(UUID.randomUUID().toString(), type, c.id(), "w-budget", c.attempt(), clock.instant())
                .taskType(c.order().type());
    }

    private void usage(Claim c, double usd, long tokens) {
        applier.apply(event(c, LifecycleEventType.TOKEN_USAGE).tokenUsage(new TokenUsage(tokens, 0, 0, 0)).costUsd(usd).build());
    }

    private Map<String, Object> budget(String scope, String key) {
        List<Map<String, Object>> all = (List<Map<String, Object>>) call(ADMIN, HttpRequest.GET("/api/v1/budgets")).get("budgets");
        return all.stream().filter(b -> scope.equals(b.get("scope")) && key.equals(b.get("key"))).findFirst()
                .orElseThrow(() -> new AssertionError("no budget " + scope + " " + key + " in " + all));
    }

    private String spent(String scope, String key) {
        Map<String, Object> spent = (Map<String, Object>) budget(scope, key).get("spent");
        return ((Number) spent.get("usd")).doubleValue() + " USD, " + ((Number) spent.get("tokens")).longValue() + " tokens";
    }

    private double thresholds(String scope, String level) {
        var c = meters.find("agentvine.budget.thresholds").tags("scope", scope, "threshold", level).counter();
        return c == null ? 0 : c.count();
    }
}
