package io.agentvine.controller.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentvine.controller.domain.InvalidInputException;
import io.agentvine.controller.persistence.EventRow;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which events a page's groups take, how a stream's {@code groups} parameter is read, and an event's frame. */
class EventGroupTest {

    @Test
    void the_fleet_takes_worker_events_and_task_events_that_name_a_worker_only() {
        assertThat(EventGroup.of("worker_registered", "w-1")).contains(EventGroup.FLEET);
        assertThat(EventGroup.of("worker_health_changed", "w-1")).contains(EventGroup.FLEET);
        for (String type : new String[] {"task_started", "task_step", "task_progress", "task_completed", "task_failed",
                "task_cancelled", "task_queued"}) {
            assertThat(EventGroup.of(type, "w-1")).as(type + " on a worker").contains(EventGroup.FLEET, EventGroup.TASKS);
        }
        assertThat(EventGroup.of("task_queued", null)).as("a new task: no worker's business")
                .containsExactlyInAnyOrder(EventGroup.QUEUE, EventGroup.TASKS);
        assertThat(EventGroup.of("task_cancelled", null)).as("cancelled while queued")
                .containsExactlyInAnyOrder(EventGroup.QUEUE, EventGroup.TASKS);
        assertThat(EventGroup.of("queue_updated", null)).containsExactlyInAnyOrder(EventGroup.QUEUE, EventGroup.TASKS);
        assertThat(EventGroup.of("clarification_requested", "w-1"))
                .containsExactlyInAnyOrder(EventGroup.ATTENTION, EventGroup.TASKS);
        assertThat(EventGroup.of("task_step", "w-1")).doesNotContain(EventGroup.QUEUE, EventGroup.ATTENTION);
    }

    @Test
    void the_groups_parameter_takes_known_names_and_names_the_field_for_an_unknown_one() {
        assertThat(EventGroup.parse(null)).isEmpty();
        assertThat(EventGroup.parse("  ")).isEmpty();
        assertThat(EventGroup.parse("fleet, attention")).containsExactlyInAnyOrder(EventGroup.FLEET, EventGroup.ATTENTION);
        assertThatThrownBy(() -> EventGroup.parse("fleet,flet")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unknown event group 'flet'").hasMessageContaining("fleet, queue, attention, tasks")
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("groups"));
        assertThatThrownBy(() -> EventGroup.parse("fleet,")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unknown event group ''");
    }

    @Test
    void an_event_is_one_sse_frame_whose_data_names_its_groups() {
        LiveEvent e = LiveEvent.of(new EventRow(42L, "task_step", "t-1", "w-1",
                "{\"task_id\":\"t-1\",\"worker_id\":\"w-1\",\"step\":\"testing\",\"note\":\"two\\nlines\"}",
                Instant.parse("2026-12-02T10:00:00Z")));

        assertThat(new String(e.frame(), StandardCharsets.UTF_8)).isEqualTo("id: 42\nevent: task_step\n"
                + "data: {\"id\":42,\"type\":\"task_step\",\"at\":\"2026-12-02T10:00:00Z\",\"task_id\":\"t-1\",\"worker_id\":\"w-1\","
                + "\"step\":\"testing\",\"note\":\"two\\nlines\",\"groups\":[\"fleet\",\"tasks\"]}\n\n");
        assertThat(e.matches(java.util.Set.of())).isTrue();
        assertThat(e.matches(java.util.Set.of(EventGroup.FLEET, EventGroup.ATTENTION))).isTrue();
        assertThat(e.matches(java.util.Set.of(EventGroup.QUEUE))).isFalse();
    }
}
