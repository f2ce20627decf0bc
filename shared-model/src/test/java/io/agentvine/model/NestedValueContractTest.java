package io.agentvine.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Values that only travel inside messages: no schema_version of their own, same JSON rules otherwise. */
class NestedValueContractTest {

    static Stream<Arguments> values() {
        return Stream.of(
                Arguments.of(new Budget(40, 2.5, 1800), Set.of("max_turns", "max_cost_usd", "timeout_seconds")),
                Arguments.of(Samples.tokenUsage(), Set.of("input_tokens", "output_tokens", "cache_read_tokens",
                        "cache_creation_tokens")),
                Arguments.of(Samples.metrics(), Set.of("cpu_percent", "memory_used_bytes", "memory_total_bytes",
                        "disk_used_bytes", "disk_free_bytes", "load_average", "uptime_seconds")),
                Arguments.of(Samples.currentTask(), Set.of("work_order_id", "task_id", "type", "started_at", "attempt")));
    }

    static Stream<Object> samples() {
        return values().map(a -> a.get()[0]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void writing_then_reading_gives_an_equal_value(Object value) {
        assertThat(Wire.roundTrip(value)).isEqualTo(value);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void json_uses_exactly_the_documented_snake_case_fields(Object value, Set<String> fields) {
        List<String> names = new ArrayList<>();
        Wire.tree(value).fieldNames().forEachRemaining(names::add);

        assertThat(names).containsExactlyInAnyOrderElementsOf(fields);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void unknown_fields_are_ignored_including_a_nested_object(Object value) {
        String json = Wire.edited(value, tree -> tree.set("added_in_v2", Wire.tree("{\"a\": [1, {\"b\": null}]}")));

        assertThat(Json.read(json, value.getClass())).isEqualTo(value);
    }
}
