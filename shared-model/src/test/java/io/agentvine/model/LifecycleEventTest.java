package io.agentvine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class LifecycleEventTest {

    private static LifecycleEvent.Builder event(LifecycleEventType type) {
        return LifecycleEvent.builder("ev-1", type, "wo-1", "w-1", 1, Samples.T0);
    }

    private static InvalidMessageException rejected(LifecycleEvent.Builder builder) {
        InvalidMessageException e = catchThrowableOfType(InvalidMessageException.class, builder::build);
        assertThat(e).as("expected a rejection").isNotNull();
        return e;
    }

    @Test
    void a_minimal_event_defaults_its_task_id_and_has_empty_result_and_metadata() {
        LifecycleEvent started = event(LifecycleEventType.STARTED).build();

        assertThat(started.schemaVersion()).isEqualTo(LifecycleEvent.SCHEMA_VERSION);
        assertThat(started.taskId()).isEqualTo("wo-1");
        assertThat(started.result()).isEmpty();
        assertThat(started.metadata()).isEmpty();
        assertThat(started.outcome()).isNull();
    }

    @Test
    void a_failed_event_must_say_why() {
        InvalidMessageException e = rejected(event(LifecycleEventType.FAILED));

        assertThat(e.getMessage()).isEqualTo("outcome: is required when type is failed");
        assertThat(event(LifecycleEventType.FAILED).outcome(FailureReason.TIMEOUT).build().outcome())
                .isEqualTo(FailureReason.TIMEOUT);
    }

    @Test
    void a_cancelled_event_may_carry_an_outcome_or_not() {
        assertThat(event(LifecycleEventType.CANCELLED).build().outcome()).isNull();
        assertThat(event(LifecycleEventType.CANCELLED).outcome(FailureReason.CANCELLED).build().outcome())
                .isEqualTo(FailureReason.CANCELLED);
    }

    @ParameterizedTest
    @EnumSource(names = {"FAILED", "CANCELLED"}, mode = EnumSource.Mode.EXCLUDE)
    void other_event_types_carry_no_outcome(LifecycleEventType type) {
        LifecycleEvent.Builder builder = event(type).outcome(FailureReason.AGENT_ERROR).tokenUsage(TokenUsage.ZERO);

        InvalidMessageException e = rejected(builder);

        assertThat(e.field()).isEqualTo("outcome");
        assertThat(e.getMessage()).endsWith("type was " + type.wireName());
    }

    @Test
    void a_token_usage_event_must_carry_the_usage() {
        assertThat(rejected(event(LifecycleEventType.TOKEN_USAGE)).field()).isEqualTo("token_usage");
        assertThat(event(LifecycleEventType.TOKEN_USAGE).tokenUsage(Samples.tokenUsage()).costUsd(0.0).build()
                .tokenUsage()).isEqualTo(Samples.tokenUsage());
    }

    @Test
    void a_message_of_exactly_64_kib_is_accepted() {
        String message = "x".repeat(LifecycleEvent.MAX_MESSAGE_BYTES);

        assertThat(event(LifecycleEventType.PROGRESS).message(message).build().message()).isEqualTo(message);
    }

    @Test
    void a_message_above_64_kib_is_rejected_not_truncated() {
        InvalidMessageException e = rejected(event(LifecycleEventType.PROGRESS)
                .message("x".repeat(LifecycleEvent.MAX_MESSAGE_BYTES + 1)));

        assertThat(e.getMessage()).isEqualTo("message: is 65537 bytes in UTF-8; the limit is 65536 (64 KiB): "
                + "put long output in the worker's logs");
    }

    @Test
    void the_message_limit_counts_utf_8_bytes_not_characters() {
        String euros = "€".repeat(22_000); // 3 bytes each: 66,000 bytes in 22,000 characters
        String accents = "é".repeat(30_000); // 2 bytes each: 60,000 bytes

        assertThat(rejected(event(LifecycleEventType.PROGRESS).message(euros)).field()).isEqualTo("message");
        assertThat(event(LifecycleEventType.PROGRESS).message(accents).build().message()).hasSize(30_000);
    }

    @Test
    void a_blank_message_is_no_message() {
        assertThat(event(LifecycleEventType.PROGRESS).message("  ").build().message()).isNull();
    }

    @Test
    void cost_must_be_a_finite_amount_not_below_zero() {
        assertThat(rejected(event(LifecycleEventType.COMPLETED).costUsd(-0.01)).field()).isEqualTo("cost_usd");
        assertThat(rejected(event(LifecycleEventType.COMPLETED).costUsd(Double.NaN)).field()).isEqualTo("cost_usd");
        assertThat(rejected(event(LifecycleEventType.COMPLETED).costUsd(Double.POSITIVE_INFINITY)).field())
                .isEqualTo("cost_usd");
    }

    @Test
    void a_completed_events_result_is_kept_as_given() {
        Map<String, Object> result = Map.of("commit_sha", "0123abcd", "pr_url", "https://github.com/acme/app/pull/7",
                "checks", java.util.List.of("build", "test"));

        LifecycleEvent completed = Wire.roundTrip(event(LifecycleEventType.COMPLETED).result(result).build());

        assertThat(completed.result()).isEqualTo(result);
    }

    @Test
    void the_attempts_that_end_on_a_worker_are_completed_failed_released_cancelled_and_parked() {
        assertThat(Arrays.stream(LifecycleEventType.values()).filter(LifecycleEventType::endsAttempt))
                .containsExactlyInAnyOrder(LifecycleEventType.COMPLETED, LifecycleEventType.FAILED,
                        LifecycleEventType.RELEASED, LifecycleEventType.CANCELLED, LifecycleEventType.PARKED);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            event_id         | null              | event_id
            event_id         | "ev 1"            | event_id
            type             | "exploded"        | type
            type             | null              | type
            work_order_id    | null              | work_order_id
            task_id          | "a/b"             | task_id
            worker_id        | null              | worker_id
            task_type        | "Not A Type"      | task_type
            attempt          | null              | attempt
            attempt          | 0                 | attempt
            attempt          | "second"          | attempt
            at               | null              | at
            at               | "yesterday"       | at
            outcome          | "oops"            | outcome
            outcome          | null              | outcome
            token_usage      | [1]               | token_usage
            token_usage.input_tokens | -1        | token_usage.input_tokens
            cost_usd         | "cheap"           | cost_usd
            cost_usd         | -1                | cost_usd
            model            | {"name": "x"}     | model
            result           | "sha"             | result
            queue_outcome    | "exploded"        | queue_outcome
            claimed_at       | "noon"            | claimed_at
            log_location     | 7                 | log_location
            """)
    void bad_json_is_rejected_naming_the_field(String path, String value, String field) {
        String json = Wire.with(Samples.failedEvent(), path, "null".equals(value) ? null : value);

        assertThat(Wire.rejection(json, LifecycleEvent.class).field()).isEqualTo(field);
    }

    @Test
    void a_bad_task_type_is_reported_as_task_type_not_as_type() {
        String json = Wire.with(Samples.failedEvent(), "task_type", "\"Not A Type\"");

        assertThat(Wire.rejection(json, LifecycleEvent.class).getMessage()).startsWith("task_type: 'Not A Type'");
    }

    @Test
    void an_unknown_outcome_is_rejected_listing_the_known_ones() {
        String json = Wire.with(Samples.failedEvent(), "outcome", "\"oops\"");

        assertThat(Wire.rejection(json, LifecycleEvent.class).getMessage()).isEqualTo("outcome: 'oops' is not one of "
                + "agent_error, tests_failed, timeout, budget_exceeded, stalled, clone_failed, push_failed, cancelled, "
                + "lost_lease, needs_clarification, invalid_payload, worker_lost, rejected");
    }

    @Test
    void the_queue_outcome_is_only_carried_by_failed_and_cancelled_events() {
        InvalidMessageException e = rejected(event(LifecycleEventType.COMPLETED).queueOutcome(QueueOutcome.DEAD));

        assertThat(e.getMessage()).isEqualTo("queue_outcome: is only allowed when type is failed or cancelled, type was completed");
        assertThat(event(LifecycleEventType.CANCELLED).queueOutcome(QueueOutcome.CANCELLED).build().queueOutcome())
                .isEqualTo(QueueOutcome.CANCELLED);
    }

    @Test
    void a_version_2_event_carries_its_queue_outcome_claim_time_and_log_location_as_fields() {
        LifecycleEvent started = event(LifecycleEventType.STARTED).claimedAt(Samples.T0).logLocation("worker w-1: /l/t.log")
                .metadata(Map.of("agent", "claude-code")).build();

        String json = Json.write(started);
        assertThat(json).contains("\"schema_version\":2", "\"claimed_at\":\"" + Samples.T0 + "\"",
                "\"log_location\":\"worker w-1: /l/t.log\"");
        assertThat(Json.read(json, LifecycleEvent.class)).isEqualTo(started);
    }

    /** A rolling upgrade: an old worker's event (no version, the verdict in metadata) reads into the same fields. */
    @Test
    void a_version_1_event_is_read_into_the_typed_fields() {
        String failed = """
                {"event_id":"ev-1","type":"failed","work_order_id":"wo-1","worker_id":"w-1","attempt":1,
                 "at":"2026-01-01T00:00:00Z","outcome":"tests_failed","metadata":{"queue_outcome":"retry_scheduled"}}""";
        String started = """
                {"schema_version":1,"event_id":"ev-2","type":"started","work_order_id":"wo-1","worker_id":"w-1",
                 "attempt":1,"at":"2026-01-01T00:00:01Z",
                 "metadata":{"claimed_at":"2026-01-01T00:00:00Z","log_location":"worker w-1: /l/wo-1.log"}}""";

        assertThat(Json.read(failed, LifecycleEvent.class).queueOutcome()).isEqualTo(QueueOutcome.RETRY_SCHEDULED);
        LifecycleEvent s = Json.read(started, LifecycleEvent.class);
        assertThat(s.claimedAt()).isEqualTo(java.time.Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(s.logLocation()).isEqualTo("worker w-1: /l/wo-1.log");
    }

    @Test
    void a_version_1_value_that_does_not_read_is_dropped_as_version_1_readers_did() {
        String json = """
                {"event_id":"ev-1","type":"failed","work_order_id":"wo-1","worker_id":"w-1","attempt":1,
                 "at":"2026-01-01T00:00:00Z","outcome":"tests_failed",
                 "metadata":{"queue_outcome":"shrugged","claimed_at":"noon"}}""";

        LifecycleEvent e = Json.read(json, LifecycleEvent.class);
        assertThat(e.queueOutcome()).isNull();
        assertThat(e.claimedAt()).isNull();
        assertThat(e.metadata()).containsEntry("queue_outcome", "shrugged");
    }

    @Test
    void a_version_1_verdict_on_an_event_that_carries_none_stays_metadata() {
        String json = """
                {"event_id":"ev-1","type":"progress","work_order_id":"wo-1","worker_id":"w-1","attempt":1,
                 "at":"2026-01-01T00:00:00Z","metadata":{"queue_outcome":"dead"}}""";

        LifecycleEvent e = Json.read(json, LifecycleEvent.class);
        assertThat(e.queueOutcome()).isNull();
        assertThat(e.metadata()).containsEntry("queue_outcome", "dead");
    }

    @Test
    void version_2_fields_are_not_taken_from_metadata() {
        LifecycleEvent e = event(LifecycleEventType.FAILED).outcome(FailureReason.TIMEOUT)
                .metadata(Map.of("queue_outcome", "dead")).build();

        assertThat(e.queueOutcome()).isNull();
    }
}
