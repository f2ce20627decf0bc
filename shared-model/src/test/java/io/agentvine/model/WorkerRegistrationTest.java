package io.agentvine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WorkerRegistrationTest {

    private static WorkerRegistration named(String name) {
        return new WorkerRegistration(null, name, List.of(TaskType.BUGFIX), "0.1.0", null, null, null, null);
    }

    private static WorkerRegistration withTypes(TaskType... types) {
        return new WorkerRegistration(null, "w", types == null ? null : Arrays.asList(types), "0.1.0", null, null, null,
                null);
    }

    private static InvalidMessageException rejected(Runnable construction) {
        InvalidMessageException e = catchThrowableOfType(InvalidMessageException.class, construction::run);
        assertThat(e).as("expected a rejection").isNotNull();
        return e;
    }

    @Test
    void a_minimal_registration_runs_one_task_and_has_empty_lists() {
        WorkerRegistration registration = Json.read("""
                {"name": "w-1", "worker_types": ["bugfix"], "version": "0.1.0"}""", WorkerRegistration.class);

        assertThat(registration.schemaVersion()).isEqualTo(1);
        assertThat(registration.maxConcurrentTasks()).isEqualTo(1);
        assertThat(registration.specializations()).isEmpty();
        assertThat(registration.tools()).isEmpty();
        assertThat(registration.metadata()).isEmpty();
        assertThat(registration.workerTypes()).containsExactly(TaskType.BUGFIX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"w", "worker-1", "host.example_2", "UPPER.lower-09"})
    void names_of_the_allowed_alphabet_are_accepted(String name) {
        assertThat(named(name).name()).isEqualTo(name);
    }

    @Test
    void names_are_at_most_64_characters() {
        assertThat(named("n".repeat(64)).name()).hasSize(64);
        assertThat(rejected(() -> named("n".repeat(65))).field()).isEqualTo("name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "has space", "a/b", "a:b", "ünï", "w@host"})
    void names_outside_the_allowed_alphabet_are_rejected(String name) {
        assertThat(rejected(() -> named(name)).field()).isEqualTo("name");
    }

    @Test
    void a_missing_name_is_rejected() {
        assertThat(rejected(() -> named(null)).field()).isEqualTo("name");
    }

    @Test
    void at_least_one_worker_type_is_required() {
        assertThat(rejected(() -> withTypes()).getMessage())
                .isEqualTo("worker_types: must name at least one task type");
        assertThat(rejected(() -> withTypes((TaskType[]) null)).field()).isEqualTo("worker_types");
    }

    @Test
    void a_worker_type_listed_twice_is_rejected() {
        assertThat(rejected(() -> withTypes(TaskType.DOCS, TaskType.TEST, TaskType.DOCS)).getMessage())
                .isEqualTo("worker_types: lists 'docs' more than once");
    }

    @Test
    void a_null_worker_type_is_reported_with_its_index() {
        assertThat(rejected(() -> withTypes(TaskType.DOCS, null)).field()).isEqualTo("worker_types[1]");
    }

    @Test
    void custom_worker_types_are_part_of_the_wire_form() {
        WorkerRegistration registration = withTypes(TaskType.of("security-audit"));

        assertThat(Wire.tree(registration).get("worker_types").get(0).asText()).isEqualTo("security-audit");
    }

    @Test
    void max_concurrent_tasks_is_between_1_and_64() {
        assertThat(new WorkerRegistration(null, "w", List.of(TaskType.DOCS), "1", 64, null, null, null)
                .maxConcurrentTasks()).isEqualTo(64);
        for (int bad : new int[] {0, -1, 65}) {
            assertThat(rejected(() -> new WorkerRegistration(null, "w", List.of(TaskType.DOCS), "1", bad, null, null,
                    null)).field()).isEqualTo("max_concurrent_tasks");
        }
    }

    @Test
    void version_is_required() {
        assertThat(rejected(() -> new WorkerRegistration(null, "w", List.of(TaskType.DOCS), " ", null, null, null,
                null)).field()).isEqualTo("version");
    }

    @Test
    void specializations_and_tools_must_be_short_non_blank_labels() {
        assertThat(rejected(() -> new WorkerRegistration(null, "w", List.of(TaskType.DOCS), "1", null,
                List.of("java", " "), null, null)).field()).isEqualTo("specializations[1]");
        assertThat(rejected(() -> new WorkerRegistration(null, "w", List.of(TaskType.DOCS), "1", null, null,
                List.of("t".repeat(101)), null)).field()).isEqualTo("tools[0]");
        assertThat(rejected(() -> new WorkerRegistration(null, "w", List.of(TaskType.DOCS), "1", null, null,
                java.util.Collections.nCopies(65, "docker"), null)).field()).isEqualTo("tools");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            name                 | "bad name"        | name
            worker_types         | "feature"         | worker_types
            worker_types         | []                | worker_types
            worker_types         | ["docs", "Nope!"] | worker_types[1]
            worker_types         | ["docs", null]    | worker_types[1]
            max_concurrent_tasks | "many"            | max_concurrent_tasks
            max_concurrent_tasks | 65                | max_concurrent_tasks
            version              | null              | version
            tools                | {"a": 1}          | tools
            specializations      | ["ok", ""]        | specializations[1]
            """)
    void bad_json_is_rejected_naming_the_field(String path, String value, String field) {
        String json = Wire.with(Samples.registration(), path, "null".equals(value) ? null : value);

        assertThat(Wire.rejection(json, WorkerRegistration.class).field()).isEqualTo(field);
    }

    @Test
    void a_worker_type_of_the_wrong_json_type_says_what_was_expected() {
        String json = Wire.with(Samples.registration(), "worker_types", "\"feature\"");

        assertThat(Wire.rejection(json, WorkerRegistration.class).getMessage())
                .isEqualTo("worker_types: expected an array");
    }
}
