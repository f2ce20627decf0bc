package io.agentvine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WorkOrderTest {

    private static WorkOrder.Builder minimal() {
        return WorkOrder.builder("wo-1", TaskType.FEATURE).repositoryUrl("https://github.com/acme/app.git")
                .title("Add a health endpoint");
    }

    private static InvalidMessageException rejected(WorkOrder.Builder builder) {
        InvalidMessageException e = catchThrowableOfType(InvalidMessageException.class, builder::build);
        assertThat(e).as("expected a rejection").isNotNull();
        return e;
    }

    @Test
    void a_minimal_order_gets_the_documented_defaults() {
        WorkOrder order = minimal().build();

        assertThat(order.schemaVersion()).isEqualTo(1);
        assertThat(order.taskId()).isEqualTo("wo-1");
        assertThat(order.priority()).isEqualTo(Priority.P2);
        assertThat(order.queueLevel()).isEqualTo(QueueLevel.DEFAULT);
        assertThat(order.modelTier()).isEqualTo(ModelTier.STANDARD);
        assertThat(order.permissionLevel()).isEqualTo(PermissionLevel.SUPERVISED);
        assertThat(order.budget()).isEqualTo(new Budget(null, null, 3600));
        assertThat(order.maxAttempts()).isEqualTo(3);
        assertThat(order.attempt()).isZero();
        assertThat(order.instructions()).isEmpty();
        assertThat(order.branch()).isNull();
        assertThat(order.metadata()).isEmpty();
    }

    @Test
    void the_same_defaults_apply_to_a_minimal_json_order() {
        WorkOrder order = Json.read("""
                {"id": "wo-1", "type": "feature", "repository_url": "https://github.com/acme/app.git",
                 "title": "Add a health endpoint"}""", WorkOrder.class);

        assertThat(order).isEqualTo(minimal().build());
    }

    @ParameterizedTest
    @CsvSource({"P0, HIGH, PREMIUM", "P1, HIGH, PREMIUM", "P2, DEFAULT, STANDARD", "P3, LOW, BUDGET", "P4, LOW, BUDGET"})
    void priority_decides_the_queue_level_and_the_default_model_tier(Priority priority, QueueLevel level,
            ModelTier tier) {
        WorkOrder order = minimal().priority(priority).build();

        assertThat(order.queueLevel()).isEqualTo(level);
        assertThat(order.modelTier()).isEqualTo(tier);
    }

    @Test
    void an_explicit_model_tier_wins_over_the_priority_default() {
        assertThat(minimal().priority(Priority.P0).modelTier(ModelTier.BUDGET).build().modelTier())
                .isEqualTo(ModelTier.BUDGET);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://github.com/acme/app.git",
        "HTTPS://GitHub.com/acme/app",
        "http://git.internal:8080/acme/app.git",
        "ssh://git@github.com/acme/app.git",
        "ssh://git@git.internal:2222/acme/app.git",
        "https://myorg@dev.azure.com/myorg/project/_git/app",
        "git://example.com/app.git",
        "file:///srv/git/app.git",
        "git@github.com:acme/app.git",
        "deploy.bot@git.internal:team/app"})
    void supported_repository_urls_are_accepted(String url) {
        assertThat(minimal().repositoryUrl(url).build().repositoryUrl()).isEqualTo(url);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ftp://example.com/app.git                   | scheme 'ftp' is not supported
            /srv/git/app.git                            | scheme '' is not supported
            https:///acme/app.git                       | has no host
            https://user:s3cret@github.com/acme/app.git | must not embed a password
            https://x-access-token:@github.com/a/b.git  | must not embed a password
            https://ghp_16C7e42F292c6912E7710c838347Ae178B4a@github.com/a/b.git | must not embed a token as its user name
            https://github_pat_11ABCDEFG0123456789_abcdefghijklmnop@github.com/a/b.git | must not embed a token as its user name
            https://glpat-xxxxxxxxxxxxxxxxxxxx@gitlab.com/a/b.git | must not embed a token as its user name
            https://x-access-token@github.com/a/b.git   | must not embed a token as its user name
            https://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@git.example.com/a/b.git | must not embed a token as its user name
            -uhttps://github.com/acme/app.git           | must not start with '-'
            --upload-pack=touch${IFS}x                  | must not start with '-'
            https://github.com/acme/my app              | white space
            git@-oProxyCommand:acme/app                 | host must not start with '-'
            ssh://-oProxyCommand@host/acme/app          | user name must not start with '-'
            file:relative/app                           | has no path
            https://exa mple.com/app                    | white space
            """)
    void unsupported_or_unsafe_repository_urls_are_rejected(String url, String problem) {
        InvalidMessageException e = rejected(minimal().repositoryUrl(url));

        assertThat(e.field()).isEqualTo("repository_url");
        assertThat(e.getMessage()).contains(problem);
    }

    @Test
    void a_missing_repository_url_is_rejected() {
        assertThat(rejected(minimal().repositoryUrl(null)).field()).isEqualTo("repository_url");
    }

    @Test
    void scp_like_addresses_count_as_ssh() {
        assertThat(minimal().repositoryUrl("git@github.com:acme/app.git").build().repositoryScheme()).isEqualTo("ssh");
        assertThat(minimal().repositoryUrl("HTTPS://github.com/acme/app").build().repositoryScheme()).isEqualTo("https");
    }

    @ParameterizedTest
    @ValueSource(strings = {"main", "feature/login-sso", "release/1.2", "user_branch", "v1.0+build", "a.b/c.d"})
    void ordinary_branch_names_are_accepted(String branch) {
        assertThat(minimal().branch(branch).build().branch()).isEqualTo(branch);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-x", "--upload-pack=x", "-", "a..b", "../etc", ".hidden", "feature/.x", "/abs", "x/",
        "a//b", "x.lock", "x.lock/y", "ends.", "has space", "a:b", "a~1", "a^", "a@{1}", "a\\b", "ünï"})
    void branch_names_that_git_rejects_or_that_could_be_flags_are_rejected(String branch) {
        InvalidMessageException e = rejected(minimal().branch(branch));

        assertThat(e.field()).isEqualTo("branch");
    }

    @ParameterizedTest
    @ValueSource(strings = {"  ", "\n", "", "HEAD"})
    void a_blank_or_empty_branch_is_refused_and_only_a_missing_one_means_the_default_branch(String branch) {
        assertThat(rejected(minimal().branch(branch)).field()).isEqualTo("branch");
        assertThat(minimal().branch(null).build().branch()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"wo-1", "a.b_c:d-e", "01HZX3K4Q8W7", "x"})
    void ids_of_the_safe_alphabet_are_accepted(String id) {
        assertThat(WorkOrder.builder(id, TaskType.DOCS).repositoryUrl("https://h/r").title("t").build().id())
                .isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "a/b", "ünï", "a*b", "{wo}"})
    void ids_outside_the_safe_alphabet_are_rejected(String id) {
        InvalidMessageException e = rejected(WorkOrder.builder(id, TaskType.DOCS).repositoryUrl("https://h/r").title("t"));

        assertThat(e.field()).isEqualTo("id");
    }

    @Test
    void ids_are_at_most_128_characters() {
        assertThat(WorkOrder.builder("a".repeat(128), TaskType.DOCS).repositoryUrl("https://h/r").title("t").build()
                .id()).hasSize(128);
        assertThat(rejected(WorkOrder.builder("a".repeat(129), TaskType.DOCS).repositoryUrl("https://h/r").title("t"))
                .field()).isEqualTo("id");
    }

    @Test
    void a_bad_task_id_is_reported_as_task_id() {
        assertThat(rejected(minimal().taskId("task 1")).field()).isEqualTo("task_id");
    }

    @Test
    void with_attempt_changes_only_the_attempt() {
        WorkOrder order = Samples.workOrder();

        WorkOrder next = order.withAttempt(3);

        assertThat(next.attempt()).isEqualTo(3);
        assertThat(next.withAttempt(order.attempt())).isEqualTo(order);
        assertThat(order.attempt()).isEqualTo(1);
    }

    @Test
    void with_attempt_still_validates() {
        InvalidMessageException e = catchThrowableOfType(InvalidMessageException.class,
                () -> Samples.workOrder().withAttempt(-1));

        assertThat(e.field()).isEqualTo("attempt");
    }

    @Test
    void with_priority_moves_the_queue_level_and_keeps_the_model_tier_already_chosen() {
        WorkOrder order = minimal().build();

        WorkOrder urgent = order.withPriority(Priority.P0);

        assertThat(urgent.priority()).isEqualTo(Priority.P0);
        assertThat(urgent.queueLevel()).isEqualTo(QueueLevel.HIGH);
        assertThat(urgent.modelTier()).isEqualTo(ModelTier.STANDARD);
        assertThat(urgent.withPriority(Priority.P2)).isEqualTo(order);
    }

    @Test
    void max_attempts_must_be_between_1_and_100() {
        assertThat(rejected(minimal().maxAttempts(0)).field()).isEqualTo("max_attempts");
        assertThat(rejected(minimal().maxAttempts(101)).field()).isEqualTo("max_attempts");
        assertThat(minimal().maxAttempts(100).build().maxAttempts()).isEqualTo(100);
    }

    @Test
    void title_is_required_and_instructions_are_bounded() {
        assertThat(rejected(minimal().title(" ")).field()).isEqualTo("title");
        assertThat(rejected(minimal().instructions("x".repeat(WorkOrder.MAX_INSTRUCTIONS_LENGTH + 1))).field())
                .isEqualTo("instructions");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            type              | "Not A Type"     | type
            type              | null             | type
            priority          | "P9"             | priority
            permission_level  | "yolo"           | permission_level
            model_tier        | "gold"           | model_tier
            attempt           | "first"          | attempt
            max_attempts      | 0                | max_attempts
            budget.max_turns  | 0                | budget.max_turns
            budget.max_cost_usd | -1             | budget.max_cost_usd
            budget.timeout_seconds | 604801      | budget.timeout_seconds
            budget            | "cheap"          | budget
            created_at        | "last tuesday"   | created_at
            title             | ""               | title
            """)
    void bad_json_is_rejected_naming_the_field(String path, String value, String field) {
        String json = Wire.with(Samples.workOrder(), path, "null".equals(value) ? null : value);

        assertThat(Wire.rejection(json, WorkOrder.class).field()).isEqualTo(field);
    }

    @Test
    void a_bad_priority_lists_the_accepted_ones() {
        String json = Wire.with(Samples.workOrder(), "priority", "\"urgent\"");

        assertThat(Wire.rejection(json, WorkOrder.class).getMessage())
                .isEqualTo("priority: 'urgent' is not one of P0, P1, P2, P3, P4");
    }

    @Test
    void enum_values_are_read_ignoring_case() {
        String json = Wire.edited(Samples.workOrder(), t -> {
            t.put("priority", "p0");
            t.put("permission_level", "HUMAN-REQUIRED");
        });

        WorkOrder order = Json.read(json, WorkOrder.class);

        assertThat(order.priority()).isEqualTo(Priority.P0);
        assertThat(order.permissionLevel()).isEqualTo(PermissionLevel.HUMAN_REQUIRED);
    }
}
