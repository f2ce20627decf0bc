package io.agentvine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeartbeatTest {

    private static InvalidMessageException rejected(Runnable construction) {
        InvalidMessageException e = catchThrowableOfType(InvalidMessageException.class, construction::run);
        assertThat(e).as("expected a rejection").isNotNull();
        return e;
    }

    private static Heartbeat beat(List<CurrentTask> tasks) {
        return new Heartbeat(null, "w-1", WorkerStatus.BUSY, tasks, null, Samples.T0, null);
    }

    private static CurrentTask task(String workOrderId) {
        return new CurrentTask(workOrderId, null, TaskType.TEST, Samples.T0, null);
    }

    @Test
    void an_idle_worker_without_metrics_sends_a_minimal_heartbeat() {
        Heartbeat beat = Json.read("{\"worker_id\": \"w-1\", \"status\": \"idle\", \"sent_at\": \"2025-01-31T12:00:00Z\"}",
                Heartbeat.class);

        assertThat(beat.currentTasks()).isEmpty();
        assertThat(beat.metrics()).isNull();
        assertThat(beat.sentAt()).isEqualTo(Samples.T0);
        assertThat(beat.metadata()).isEmpty();
    }

    @Test
    void a_current_task_defaults_its_task_id_to_the_work_order_id_and_its_attempt_to_1() {
        CurrentTask task = task("wo-9");

        assertThat(task.taskId()).isEqualTo("wo-9");
        assertThat(task.attempt()).isEqualTo(1);
    }

    @Test
    void a_current_task_needs_an_id_type_start_time_and_a_positive_attempt() {
        assertThat(rejected(() -> new CurrentTask(null, null, TaskType.TEST, Samples.T0, 1)).field())
                .isEqualTo("work_order_id");
        assertThat(rejected(() -> new CurrentTask("wo-1", "t 1", TaskType.TEST, Samples.T0, 1)).field())
                .isEqualTo("task_id");
        assertThat(rejected(() -> new CurrentTask("wo-1", null, null, Samples.T0, 1)).field()).isEqualTo("type");
        assertThat(rejected(() -> new CurrentTask("wo-1", null, TaskType.TEST, null, 1)).field())
                .isEqualTo("started_at");
        assertThat(rejected(() -> new CurrentTask("wo-1", null, TaskType.TEST, Samples.T0, 0)).field())
                .isEqualTo("attempt");
    }

    @Test
    void the_same_work_order_listed_twice_is_rejected() {
        InvalidMessageException e = rejected(() -> beat(List.of(task("wo-1"), task("wo-2"), task("wo-1"))));

        assertThat(e.getMessage()).isEqualTo("current_tasks: lists work order 'wo-1' more than once");
    }

    @Test
    void a_heartbeat_lists_at_most_as_many_tasks_as_a_worker_may_run() {
        List<CurrentTask> tasks = new ArrayList<>();
        for (int i = 0; i < WorkerRegistration.MAX_CONCURRENT_TASKS; i++) {
            tasks.add(task("wo-" + i));
        }
        assertThat(beat(tasks).currentTasks()).hasSize(64);

        tasks.add(task("wo-64"));
        assertThat(rejected(() -> beat(tasks)).field()).isEqualTo("current_tasks");
    }

    @Test
    void status_is_not_cross_checked_against_the_task_list() {
        Heartbeat beat = new Heartbeat(null, "w-1", WorkerStatus.IDLE, List.of(task("wo-1")), null, Samples.T0, null);

        assertThat(beat.currentTasks()).hasSize(1);
    }

    @Test
    void worker_id_status_and_sent_at_are_required() {
        assertThat(rejected(() -> new Heartbeat(null, null, WorkerStatus.IDLE, null, null, Samples.T0, null)).field())
                .isEqualTo("worker_id");
        assertThat(rejected(() -> new Heartbeat(null, "w-1", null, null, null, Samples.T0, null)).field())
                .isEqualTo("status");
        assertThat(rejected(() -> new Heartbeat(null, "w-1", WorkerStatus.IDLE, null, null, null, null)).field())
                .isEqualTo("sent_at");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            worker_id                     | null             | worker_id
            status                        | "sleeping"       | status
            sent_at                       | "yesterday"      | sent_at
            sent_at                       | null             | sent_at
            current_tasks                 | {"a": 1}         | current_tasks
            current_tasks                 | [null]           | current_tasks[0]
            current_tasks[1].attempt      | 0                | current_tasks[1].attempt
            current_tasks[0].type         | "Not A Type"     | current_tasks[0].type
            current_tasks[0].started_at   | null             | current_tasks[0].started_at
            current_tasks[1].work_order_id| "wo 2"           | current_tasks[1].work_order_id
            metrics                       | "fine"           | metrics
            metrics.cpu_percent           | -1               | metrics.cpu_percent
            metrics.memory_used_bytes     | "lots"           | metrics.memory_used_bytes
            metrics.uptime_seconds        | null             | metrics.uptime_seconds
            """)
    void bad_json_is_rejected_naming_the_field_at_its_place(String path, String value, String field) {
        String json = Wire.with(Samples.heartbeat(), path, "null".equals(value) ? null : value);

        assertThat(Wire.rejection(json, Heartbeat.class).field()).isEqualTo(field);
    }

    @Test
    void an_unknown_status_is_rejected_listing_the_known_ones() {
        String json = Wire.with(Samples.heartbeat(), "status", "\"sleeping\"");

        assertThat(Wire.rejection(json, Heartbeat.class).getMessage()).isEqualTo(
                "status: 'sleeping' is not one of starting, idle, busy, paused, draining, drained, stopping, offline");
    }
}
