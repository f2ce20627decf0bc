package io.agentvine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The run's step in the heartbeat ({@link CurrentTask}) and in the {@code step_changed} lifecycle event. */
class RunStepContractTest {

    private static InvalidMessageException rejected(Runnable construction) {
        InvalidMessageException e = catchThrowableOfType(InvalidMessageException.class, construction::run);
        assertThat(e).as("expected a rejection").isNotNull();
        return e;
    }

    @Test
    void a_current_task_carries_its_step_and_since_when_as_step_and_step_since() {
        CurrentTask task = new CurrentTask("wo-1", "t-1", TaskType.FEATURE, Samples.T0, 2, RunStep.AGENT_RUNNING, Samples.T1);

        String json = Json.write(task);
        assertThat(json).contains("\"step\":\"agent_running\"", "\"step_since\":\"" + Samples.T1 + "\"");
        assertThat(Wire.roundTrip(task)).isEqualTo(task);
        Heartbeat beat = new Heartbeat(null, "w-1", WorkerStatus.BUSY, List.of(task), null, Samples.T1, null);
        assertThat(Wire.roundTrip(beat).currentTasks().get(0).step()).isEqualTo(RunStep.AGENT_RUNNING);
    }

    @Test
    void an_old_heartbeat_without_a_step_still_reads() {
        String json = """
                {"worker_id":"w-1","status":"busy","sent_at":"2025-01-31T12:00:00Z","current_tasks":[
                 {"work_order_id":"wo-1","type":"feature","started_at":"2025-01-31T11:59:00Z","attempt":1}]}""";

        Heartbeat beat = Json.readStrict(json, Heartbeat.class);
        assertThat(beat.currentTasks()).singleElement().satisfies(t -> {
            assertThat(t.step()).isNull();
            assertThat(t.stepSince()).isNull();
            assertThat(t.taskId()).isEqualTo("wo-1");
        });
    }

    @Test
    void a_step_comes_with_its_since_time_and_the_other_way_round() {
        assertThat(rejected(() -> new CurrentTask("wo-1", null, TaskType.TEST, Samples.T0, 1, RunStep.CLONING, null)).field())
                .isEqualTo("step_since");
        assertThat(rejected(() -> new CurrentTask("wo-1", null, TaskType.TEST, Samples.T0, 1, null, Samples.T1)).field())
                .isEqualTo("step");
    }

    @Test
    void an_unknown_step_is_refused_naming_the_field_and_the_accepted_values() {
        String json = """
                {"work_order_id":"wo-1","type":"feature","started_at":"2025-01-31T11:59:00Z","step":"dreaming",
                 "step_since":"2025-01-31T12:00:00Z"}""";

        InvalidMessageException e = Wire.rejection(json, CurrentTask.class);
        assertThat(e.field()).isEqualTo("step");
        assertThat(e.getMessage()).contains("'dreaming' is not one of preparing, cloning, agent_running");
    }

    @Test
    void a_step_changed_event_carries_the_step_as_a_typed_field() {
        LifecycleEvent e = LifecycleEvent.builder("ev-1", LifecycleEventType.STEP_CHANGED, "wo-1", "w-1", 1, Samples.T1)
                .step(RunStep.TESTING).build();

        String json = Json.write(e);
        assertThat(json).contains("\"type\":\"step_changed\"", "\"step\":\"testing\"");
        assertThat(Json.read(json, LifecycleEvent.class)).isEqualTo(e);
    }

    @Test
    void a_step_changed_event_needs_its_step_and_no_other_type_carries_one() {
        assertThat(rejected(() -> LifecycleEvent.builder("ev-1", LifecycleEventType.STEP_CHANGED, "wo-1", "w-1", 1, Samples.T1)
                .build()).getMessage()).isEqualTo("step: is required when type is step_changed");
        assertThat(rejected(() -> LifecycleEvent.builder("ev-1", LifecycleEventType.PROGRESS, "wo-1", "w-1", 1, Samples.T1)
                .step(RunStep.CLONING).build()).getMessage())
                .isEqualTo("step: is only allowed when type is step_changed, type was progress");
    }

    @Test
    void an_event_without_a_step_field_reads_as_before() {
        String json = """
                {"schema_version":2,"event_id":"ev-1","type":"progress","work_order_id":"wo-1","worker_id":"w-1",
                 "attempt":1,"at":"2026-01-01T00:00:00Z","message":"cloning"}""";

        assertThat(Json.read(json, LifecycleEvent.class).step()).isNull();
    }
}
