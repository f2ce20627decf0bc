package io.agentvine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Exact JSON types everywhere, and unknown fields refused by {@link Json#readStrict}. */
class StrictJsonTest {

    private static InvalidMessageException rejected(String json, boolean strict) {
        InvalidMessageException e = catchThrowableOfType(InvalidMessageException.class,
                () -> {
                    if (strict) {
                        Json.readStrict(json, WorkOrder.class);
                    } else {
                        Json.read(json, WorkOrder.class);
                    }
                });
        assertThat(e).as("expected a rejection of " + json).isNotNull();
        return e;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            title          | 0
            title          | true
            title          | 2.5
            title          | ["x"]
            title          | {"a":1}
            branch         | 1
            max_attempts   | "3"
            max_attempts   | 2.5
            max_attempts   | 3.0
            max_attempts   | true
            max_attempts   | 99999999999
            max_attempts   | ""
            budget         | "x"
            metadata       | "x"
            metadata       | []
            priority       | 1
            created_at     | 1700000000
            budget.max_turns | "5"
            budget.max_turns | 5.5
            budget.max_cost_usd | "1.5"
            budget.timeout_seconds | false
            """)
    void a_value_of_the_wrong_json_type_is_refused_naming_its_field(String field, String raw) {
        String json = Wire.with(Samples.workOrder(), field, raw);
        for (boolean strict : new boolean[] {false, true}) {
            InvalidMessageException e = rejected(json, strict);
            assertThat(e.field()).as(json).isEqualTo(field);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"test_comand": "mvn test"}                  | test_comand
            {"budget": {"max_turns": 3, "test_comand": 1}} | budget.test_comand
            """)
    void unknown_fields_are_refused_at_any_depth_by_the_strict_reader_only(String extra, String field) {
        String base = Json.write(Samples.workOrder());
        String json = base.substring(0, base.length() - 1) + "," + extra.substring(1);
        json = json.replaceFirst("\"budget\":\\{[^}]*\\},", "");

        InvalidMessageException e = rejected(json, true);

        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage()).contains("is not a field here; the fields are ");
        assertThat(Json.read(json, WorkOrder.class).id()).isEqualTo(Samples.workOrder().id());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"id":"a","id":"b"}                   | id
            {"budget":{"max_turns":1,"max_turns":2}} | budget.max_turns
            """)
    void a_field_given_twice_is_refused(String json, String field) {
        assertThat(rejected(json, false).field()).isEqualTo(field);
    }

    @org.junit.jupiter.api.Test
    void a_name_beyond_the_parsers_limits_is_reported_at_its_top_level_field() {
        String json = Json.write(Samples.workOrder()).replace("\"metadata\":{", "\"metadata\":{\"" + "k".repeat(60_000) + "\":1,");

        assertThat(rejected(json, true).field()).isEqualTo("metadata");
        String deep = Json.write(Samples.workOrder()).replace("\"metadata\":{", "\"metadata\":{\"a\":" + "[".repeat(5000));
        assertThat(rejected(deep, true).field()).isEqualTo("metadata");
        assertThat(rejected(deep, false).field()).isEqualTo("metadata");
    }
}
