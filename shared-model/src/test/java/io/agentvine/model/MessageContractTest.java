package io.agentvine.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The rules every message of the contract follows, checked on the JSON another agent would see. */
class MessageContractTest {
    // Decimals a double cannot hold, integers a long cannot hold, nesting, nulls and non-ASCII text.
    private static final String RICH_METADATA = """
            {"pr": {"labels": ["a", "b"], "draft": false, "reviewers": null, "nested": {"deeper": [[], {}]}},
             "ratio": 0.1, "price": 19.990, "pi": 3.14159265358979323846264338327950288, "tiny": 1E-30,
             "big": 123456789012345678901234567890, "beyond_double": 9007199254740993, "negative": -42,
             "mixed": [1, 2.50, "three", true, null, {"four": 4}], "text": "ünïcødé ✓ \\"quoted\\""}
            """;

    static Stream<Arguments> messages() {
        return Stream.of(
                Arguments.of(Samples.workOrder(), Set.of("schema_version", "id", "task_id", "type", "priority",
                        "repository_url", "branch", "title", "instructions", "permission_level", "test_command",
                        "model_tier", "model", "budget", "idempotency_key", "attempt", "max_attempts", "created_at",
                        "updated_at", "metadata")),
                Arguments.of(Samples.registration(), Set.of("schema_version", "name", "worker_types", "version",
                        "max_concurrent_tasks", "specializations", "tools", "metadata")),
                Arguments.of(Samples.registrationReply(), Set.of("schema_version", "worker_id",
                        "heartbeat_interval_seconds", "lease_seconds", "command", "metadata")),
                Arguments.of(Samples.heartbeatReply(), Set.of("schema_version", "command",
                        "heartbeat_interval_seconds", "lease_seconds", "metadata")),
                Arguments.of(Samples.heartbeat(), Set.of("schema_version", "worker_id", "status", "current_tasks",
                        "metrics", "sent_at", "metadata")),
                Arguments.of(Samples.failedEvent(), Set.of("schema_version", "event_id", "type", "work_order_id",
                        "task_id", "worker_id", "task_type", "attempt", "at", "message", "outcome", "token_usage",
                        "cost_usd", "model", "result", "queue_outcome", "metadata")),
                Arguments.of(Samples.approval(), Set.of("schema_version", "id", "kind", "worker_id", "work_order_id",
                        "task_id", "question", "options", "context", "created_at", "expires_at", "conversation_id",
                        "diff_summary", "changed_files", "metadata")),
                Arguments.of(Samples.answered(), Set.of("schema_version", "request_id", "status", "answer",
                        "answered_by", "answered_at", "metadata")));
    }

    static Stream<Object> samples() {
        return messages().map(a -> a.get()[0]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void writing_then_reading_gives_an_equal_message(Object message) {
        assertThat(Wire.roundTrip(message)).isEqualTo(message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void json_carries_schema_version_and_exactly_the_documented_snake_case_fields(Object message, Set<String> fields) {
        ObjectNode json = Wire.tree(message);

        assertThat(json.get("schema_version").intValue())
                .isEqualTo(message instanceof LifecycleEvent ? LifecycleEvent.SCHEMA_VERSION : Schema.VERSION);
        assertThat(names(json)).containsExactlyInAnyOrderElementsOf(fields);
        assertThat(namesOutsideFreeFormMaps(json)).allMatch(n -> n.matches("[a-z][a-z0-9_]*"), "snake_case");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void a_missing_schema_version_reads_as_1(Object message) {
        String json = Wire.with(message, "schema_version", null);

        Object read = Json.read(json, message.getClass());

        assertThat(Wire.tree(read).get("schema_version").intValue()).isEqualTo(1);
        // a version 2 event's fields read the same without a version (version 1 only adds where they may come from)
        assertThat(read).usingRecursiveComparison().ignoringFields("schemaVersion").isEqualTo(message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void a_newer_schema_version_is_read_and_kept(Object message) {
        Object read = Json.read(Wire.with(message, "schema_version", "7"), message.getClass());

        assertThat(Wire.tree(read).get("schema_version").intValue()).isEqualTo(7);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void a_schema_version_below_1_is_rejected(Object message) {
        InvalidMessageException e = Wire.rejection(Wire.with(message, "schema_version", "0"), message.getClass());

        assertThat(e.field()).isEqualTo("schema_version");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void unknown_fields_are_ignored_including_a_newer_agents_nested_object(Object message) {
        String json = Wire.edited(message, tree -> {
            tree.put("added_in_v2", "x");
            tree.set("agent_extras", Wire.tree("{\"sandbox\": {\"kind\": \"firecracker\", \"limits\": [1, 2.5]}}"));
        });

        assertThat(Json.read(json, message.getClass())).isEqualTo(message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void metadata_with_nested_values_exact_decimals_and_large_integers_survives_a_round_trip(Object message) {
        JsonNode metadata = Wire.tree(RICH_METADATA);

        Object read = Json.read(Wire.with(message, "metadata", RICH_METADATA), message.getClass());
        String written = Json.write(read);

        assertThat(Wire.tree(written).get("metadata")).isEqualTo(metadata);
        // Tree equality may normalise trailing zeros; the text shows nothing went through a double.
        assertThat(written).contains("19.990", "3.14159265358979323846264338327950288",
                "123456789012345678901234567890", "9007199254740993", "\"reviewers\":null");
        assertThat(Json.read(written, message.getClass())).isEqualTo(read);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void metadata_that_is_not_an_object_is_rejected_naming_metadata(Object message) {
        InvalidMessageException e = Wire.rejection(Wire.with(message, "metadata", "[1, 2]"), message.getClass());

        assertThat(e.field()).isEqualTo("metadata");
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    // metadata, result and context are free-form: their keys are whatever the sender chose.
    private static List<String> namesOutsideFreeFormMaps(JsonNode node) {
        List<String> names = new ArrayList<>();
        if (node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                names.add(name);
                if (!Set.of("metadata", "result", "context").contains(name)) {
                    names.addAll(namesOutsideFreeFormMaps(node.get(name)));
                }
            }
        } else if (node.isArray()) {
            node.forEach(element -> names.addAll(namesOutsideFreeFormMaps(element)));
        }
        return names;
    }
}
