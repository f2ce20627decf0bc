package io.agentvine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClarificationRequestTest {
    private static final Instant LATER = Samples.T0.plusSeconds(600);

    private static ClarificationRequest question(String text, List<String> options) {
        return new ClarificationRequest(null, "cq-1", null, "w-1", "wo-1", null, text, options, null, Samples.T0, LATER,
                null, null, null, null);
    }

    private static ClarificationRequest expiring(Instant expiresAt) {
        return new ClarificationRequest(null, "cq-1", null, "w-1", "wo-1", null, "Which API?", null, null, Samples.T0,
                expiresAt, null, null, null, null);
    }

    private static InvalidMessageException rejected(Runnable construction) {
        InvalidMessageException e = catchThrowableOfType(InvalidMessageException.class, construction::run);
        assertThat(e).as("expected a rejection").isNotNull();
        return e;
    }

    @Test
    void a_minimal_request_is_a_question_in_the_conversation_of_its_task() {
        ClarificationRequest request = question("Which API version?", null);

        assertThat(request.kind()).isEqualTo(ClarificationKind.QUESTION);
        assertThat(request.taskId()).isEqualTo("wo-1");
        assertThat(request.conversationId()).isEqualTo("wo-1");
        assertThat(request.options()).isEmpty();
        assertThat(request.context()).isEmpty();
        assertThat(request.changedFiles()).isEmpty();
        assertThat(request.diffSummary()).isNull();
    }

    @Test
    void the_conversation_defaults_to_the_task_id_when_one_is_given() {
        ClarificationRequest request = Json.read(Wire.edited(Samples.approval(), t -> t.remove("conversation_id")),
                ClarificationRequest.class);

        assertThat(request.conversationId()).isEqualTo("task-1");
    }

    @Test
    void expires_at_must_be_after_created_at() {
        assertThat(rejected(() -> expiring(Samples.T0)).getMessage())
                .isEqualTo("expires_at: must be after created_at (2025-01-31T12:00:00Z), was 2025-01-31T12:00:00Z");
        assertThat(rejected(() -> expiring(Samples.T0.minusSeconds(1))).field()).isEqualTo("expires_at");
        assertThat(expiring(Samples.T0.plusNanos(1)).expiresAt()).isAfter(Samples.T0);
    }

    @Test
    void a_request_has_expired_once_its_expiry_is_reached() {
        ClarificationRequest request = expiring(LATER);

        assertThat(request.hasExpired(LATER.minusNanos(1))).isFalse();
        assertThat(request.hasExpired(LATER)).isTrue();
    }

    @Test
    void the_question_is_required_and_at_most_8000_characters() {
        assertThat(question("q".repeat(8000), null).question()).hasSize(8000);
        assertThat(rejected(() -> question("q".repeat(8001), null)).field()).isEqualTo("question");
        assertThat(rejected(() -> question(" ", null)).field()).isEqualTo("question");
    }

    @Test
    void at_most_20_options() {
        List<String> twenty = java.util.stream.IntStream.range(0, 20).mapToObj(i -> "option " + i).toList();

        assertThat(question("Pick", twenty).options()).hasSize(20);
        List<String> more = new java.util.ArrayList<>(twenty);
        more.add("one too many");
        assertThat(rejected(() -> question("Pick", more)).getMessage()).isEqualTo("options: has 21 entries; the limit is 20");
    }

    @Test
    void each_option_is_non_blank_at_most_200_characters_and_given_once() {
        assertThat(rejected(() -> question("Pick", List.of("a", "b", " "))).field()).isEqualTo("options[2]");
        assertThat(rejected(() -> question("Pick", List.of("o".repeat(201)))).field()).isEqualTo("options[0]");
        assertThat(rejected(() -> question("Pick", List.of("yes", "no", "yes"))).getMessage())
                .isEqualTo("options: lists 'yes' more than once");
        assertThat(rejected(() -> question("Pick", Collections.singletonList(null))).field()).isEqualTo("options[0]");
    }

    @Test
    void only_approvals_carry_a_diff() {
        String json = Wire.with(Samples.approval(), "kind", "\"question\"");
        assertThat(Wire.rejection(json, ClarificationRequest.class).getMessage())
                .isEqualTo("diff_summary: is only allowed when kind is approval");

        String filesOnly = Wire.edited(Samples.approval(), t -> {
            t.put("kind", "question");
            t.remove("diff_summary");
        });
        assertThat(Wire.rejection(filesOnly, ClarificationRequest.class).field()).isEqualTo("changed_files");
    }

    @Test
    void context_is_kept_as_given() {
        Map<String, Object> context = Map.of("excerpt", "line 1\nline 2", "lines", List.of(10, 20));
        ClarificationRequest request = new ClarificationRequest(null, "cq-1", null, "w-1", "wo-1", null, "Which?", null,
                context, Samples.T0, LATER, null, null, null, null);

        assertThat(Wire.roundTrip(request).context()).isEqualTo(context);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            id               | null            | id
            kind             | "poll"          | kind
            worker_id        | "w 1"           | worker_id
            work_order_id    | null            | work_order_id
            task_id          | ""              | task_id
            question         | null            | question
            options          | "yes"           | options
            options          | ["yes", ""]     | options[1]
            context          | [1]             | context
            created_at       | null            | created_at
            expires_at       | null            | expires_at
            expires_at       | "2025-01-31T11:00:00Z" | expires_at
            expires_at       | false           | expires_at
            conversation_id  | "a b"           | conversation_id
            changed_files    | ["ok", " "]     | changed_files[1]
            """)
    void bad_json_is_rejected_naming_the_field(String path, String value, String field) {
        String json = Wire.with(Samples.approval(), path, "null".equals(value) ? null : value);

        assertThat(Wire.rejection(json, ClarificationRequest.class).field()).isEqualTo(field);
    }

    @Test
    void an_unknown_kind_is_rejected_listing_the_known_ones() {
        String json = Wire.with(Samples.approval(), "kind", "\"poll\"");

        assertThat(Wire.rejection(json, ClarificationRequest.class).getMessage())
                .isEqualTo("kind: 'poll' is not one of question, approval");
    }
}
