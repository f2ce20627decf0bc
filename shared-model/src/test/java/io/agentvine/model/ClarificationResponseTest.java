package io.agentvine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ClarificationResponseTest {

    private static ClarificationResponse response(ClarificationStatus status, String answer) {
        return new ClarificationResponse(null, "cq-1", status, answer, null, status.byHuman() ? Samples.T1 : null, null);
    }

    private static InvalidMessageException rejected(Runnable construction) {
        InvalidMessageException e = catchThrowableOfType(InvalidMessageException.class, construction::run);
        assertThat(e).as("expected a rejection").isNotNull();
        return e;
    }

    @Test
    void an_answered_response_needs_an_answer() {
        assertThat(rejected(() -> response(ClarificationStatus.ANSWERED, null)).getMessage())
                .isEqualTo("answer: is required and must not be blank");
        assertThat(rejected(() -> response(ClarificationStatus.ANSWERED, " ")).field()).isEqualTo("answer");
    }

    @Test
    void an_answer_that_is_not_among_the_options_is_left_to_the_controller() {
        assertThat(response(ClarificationStatus.ANSWERED, "something else entirely").answer())
                .isEqualTo("something else entirely");
    }

    @Test
    void answers_are_at_most_8000_characters() {
        assertThat(response(ClarificationStatus.ANSWERED, "a".repeat(8000)).answer()).hasSize(8000);
        assertThat(rejected(() -> response(ClarificationStatus.ANSWERED, "a".repeat(8001))).field()).isEqualTo("answer");
    }

    @ParameterizedTest
    @EnumSource(names = {"EXPIRED", "ORPHANED", "APPROVED"})
    void responses_other_than_answered_need_no_answer(ClarificationStatus status) {
        assertThat(response(status, null).answer()).isNull();
    }

    @Test
    void a_rejection_may_explain_itself() {
        assertThat(response(ClarificationStatus.REJECTED, "Do not touch the public API").answer())
                .isEqualTo("Do not touch the public API");
    }

    @ParameterizedTest
    @EnumSource(names = {"ANSWERED", "APPROVED", "REJECTED"})
    void a_human_decision_says_when_it_was_taken(ClarificationStatus status) {
        InvalidMessageException e = rejected(
                () -> new ClarificationResponse(null, "cq-1", status, "ok", "alice", null, null));

        assertThat(e.getMessage()).isEqualTo("answered_at: is required when status is " + status.wireName());
    }

    @Test
    void only_answered_approved_and_rejected_are_human_decisions() {
        assertThat(Arrays.stream(ClarificationStatus.values()).filter(ClarificationStatus::byHuman))
                .containsExactlyInAnyOrder(ClarificationStatus.ANSWERED, ClarificationStatus.APPROVED,
                        ClarificationStatus.REJECTED);
    }

    @Test
    void an_expired_response_needs_only_the_request_id_and_status() {
        ClarificationResponse expired = Json.read("{\"request_id\": \"cq-1\", \"status\": \"expired\"}",
                ClarificationResponse.class);

        assertThat(expired.status()).isEqualTo(ClarificationStatus.EXPIRED);
        assertThat(expired.answeredAt()).isNull();
        assertThat(expired.metadata()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            request_id   | null          | request_id
            request_id   | "cq 1"        | request_id
            status       | "maybe"       | status
            status       | null          | status
            answer       | null          | answer
            answered_by  | {"id": 1}     | answered_by
            answered_at  | "noon"        | answered_at
            answered_at  | null          | answered_at
            """)
    void bad_json_is_rejected_naming_the_field(String path, String value, String field) {
        String json = Wire.with(Samples.answered(), path, "null".equals(value) ? null : value);

        assertThat(Wire.rejection(json, ClarificationResponse.class).field()).isEqualTo(field);
    }

    @Test
    void an_unknown_status_is_rejected_listing_the_known_ones() {
        String json = Wire.with(Samples.answered(), "status", "\"maybe\"");

        assertThat(Wire.rejection(json, ClarificationResponse.class).getMessage())
                .isEqualTo("status: 'maybe' is not one of answered, expired, orphaned, approved, rejected");
    }
}
