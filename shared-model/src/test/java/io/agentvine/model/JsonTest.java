package io.agentvine.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @ParameterizedTest
    @ValueSource(strings = {"{\"worker_id\": ", "{worker_id: \"w-1\"}", "not json", "{\"a\":1}}", "{\"a\":1} trailing"})
    void malformed_json_is_rejected_naming_the_body(String json) {
        InvalidMessageException e = Wire.rejection(json, HeartbeatReply.class);

        assertThat(e.field()).isEqualTo("body");
        assertThat(e.getMessage()).startsWith("body: malformed JSON");
    }

    @Test
    void two_concatenated_messages_are_rejected_instead_of_reading_the_first() {
        String one = Json.write(Samples.heartbeatReply());

        assertThat(Wire.rejection(one + one, HeartbeatReply.class).field()).isEqualTo("body");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "null"})
    void an_empty_or_null_body_is_rejected_naming_the_body(String json) {
        assertThat(Wire.rejection(json, HeartbeatReply.class).field()).isEqualTo("body");
    }

    @Test
    void an_array_is_not_a_message() {
        assertThat(Wire.rejection("[{\"command\": \"none\"}]", HeartbeatReply.class).field()).isEqualTo("body");
    }

    @Test
    void instants_are_written_as_iso_8601_strings_and_null_fields_are_omitted() {
        CurrentTask task = new CurrentTask("wo-1", null, TaskType.DOCS, Samples.T1, null);
        Heartbeat beat = new Heartbeat(null, "w-1", WorkerStatus.IDLE, java.util.List.of(task), null, Samples.T1, null);

        String json = Json.write(beat);

        assertThat(json).contains("\"sent_at\":\"2025-01-31T12:05:30.123456789Z\"").doesNotContain("\"metrics\"");
    }

    @Test
    void a_nested_records_own_rule_is_reported_at_its_place_in_the_message() {
        String json = Wire.with(Samples.heartbeat(), "current_tasks[1].attempt", "0");

        InvalidMessageException e = Wire.rejection(json, Heartbeat.class);

        assertThat(e.field()).isEqualTo("current_tasks[1].attempt");
        assertThat(e.getMessage()).isEqualTo("current_tasks[1].attempt: must be greater than 0, was 0");
        assertThat(e.getCause()).isInstanceOf(InvalidMessageException.class);
    }

    @Test
    void a_field_that_already_names_its_place_is_not_prefixed_twice() {
        InvalidMessageException e = Wire.rejection(Wire.with(Samples.workOrder(), "budget.max_turns", "0"), WorkOrder.class);

        assertThat(e.field()).isEqualTo("budget.max_turns");
    }

    @Test
    void a_wrong_json_type_names_the_field_and_the_expected_type() {
        InvalidMessageException e = Wire.rejection(Wire.with(Samples.heartbeat(), "sent_at", "true"), Heartbeat.class);

        assertThat(e.field()).isEqualTo("sent_at");
        assertThat(e.getMessage()).contains("ISO-8601");
    }

    @Test
    void a_timestamp_that_cannot_be_parsed_names_the_field_and_the_expected_form() {
        InvalidMessageException e = Wire.rejection(Wire.with(Samples.heartbeat(), "sent_at", "\"yesterday\""),
                Heartbeat.class);

        assertThat(e.getMessage()).isEqualTo(
                "sent_at: value 'yesterday' is not an ISO-8601 timestamp such as 2025-01-31T12:00:00Z");
    }

    @Test
    void a_mapper_configured_by_the_contract_writes_the_same_json() throws Exception {
        JsonMapper own = Json.configure(JsonMapper.builder()).build();

        assertThat(own.writeValueAsString(Samples.failedEvent())).isEqualTo(Json.write(Samples.failedEvent()));
    }
}
