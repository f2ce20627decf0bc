package io.agentvine.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkerMetricsTest {

    @Test
    void cpu_above_100_percent_is_accepted_because_it_sums_over_cores() {
        assertThat(new WorkerMetrics(390.0, 1L, 2L, 3L, 4L, 3.9, 5L).cpuPercent()).isEqualTo(390.0);
    }

    @Test
    void an_unknown_load_average_is_null_and_left_out_of_the_json() {
        WorkerMetrics metrics = new WorkerMetrics(0.0, 0L, 0L, 0L, 0L, null, 0L);

        assertThat(Wire.tree(metrics).has("load_average")).isFalse();
        assertThat(Wire.roundTrip(metrics)).isEqualTo(metrics);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu_percent", "memory_used_bytes", "memory_total_bytes", "disk_used_bytes",
        "disk_free_bytes", "load_average", "uptime_seconds"})
    void negative_values_are_rejected_naming_the_field(String field) {
        InvalidMessageException e = Wire.rejection(Wire.with(Samples.metrics(), field, "-1"), WorkerMetrics.class);

        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage()).contains("negative");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu_percent", "memory_used_bytes", "memory_total_bytes", "disk_used_bytes",
        "disk_free_bytes", "uptime_seconds"})
    void every_value_but_the_load_average_is_required(String field) {
        InvalidMessageException e = Wire.rejection(Wire.with(Samples.metrics(), field, null), WorkerMetrics.class);

        assertThat(e.getMessage()).isEqualTo(field + ": is required");
    }

    @Test
    void a_cpu_figure_that_is_not_a_number_is_rejected() {
        InvalidMessageException e = org.assertj.core.api.Assertions.catchThrowableOfType(InvalidMessageException.class,
                () -> new WorkerMetrics(Double.NaN, 0L, 0L, 0L, 0L, null, 0L));

        assertThat(e.field()).isEqualTo("cpu_percent");
    }
}
