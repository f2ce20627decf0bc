package io.agentvine.model;

import static io.agentvine.model.WorkerStatus.BUSY;
import static io.agentvine.model.WorkerStatus.DRAINED;
import static io.agentvine.model.WorkerStatus.DRAINING;
import static io.agentvine.model.WorkerStatus.IDLE;
import static io.agentvine.model.WorkerStatus.OFFLINE;
import static io.agentvine.model.WorkerStatus.PAUSED;
import static io.agentvine.model.WorkerStatus.STARTING;
import static io.agentvine.model.WorkerStatus.STOPPING;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WorkerStatusTest {

    @Test
    void offline_is_final_and_has_no_next_state() {
        assertThat(OFFLINE.isFinal()).isTrue();
        assertThat(OFFLINE.next()).isEmpty();
        assertThat(Arrays.stream(WorkerStatus.values()).filter(WorkerStatus::isFinal)).containsExactly(OFFLINE);
    }

    @ParameterizedTest
    @EnumSource(names = "OFFLINE", mode = EnumSource.Mode.EXCLUDE)
    void every_live_status_can_be_declared_offline_when_its_lease_lapses(WorkerStatus status) {
        assertThat(status.canMoveTo(OFFLINE)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(names = {"STARTING", "IDLE", "BUSY", "PAUSED", "DRAINING", "DRAINED"})
    void every_live_status_before_stopping_can_stop(WorkerStatus status) {
        assertThat(status.canMoveTo(STOPPING)).isTrue();
    }

    @Test
    void idle_and_busy_alternate() {
        assertThat(IDLE.canMoveTo(BUSY)).isTrue();
        assertThat(BUSY.canMoveTo(IDLE)).isTrue();
    }

    @Test
    void idle_and_busy_workers_can_be_paused_and_resume_to_either() {
        assertThat(IDLE.canMoveTo(PAUSED)).isTrue();
        assertThat(BUSY.canMoveTo(PAUSED)).isTrue();
        assertThat(PAUSED.canMoveTo(IDLE)).isTrue();
        assertThat(PAUSED.canMoveTo(BUSY)).isTrue();
    }

    @Test
    void draining_is_one_way_and_ends_drained() {
        assertThat(DRAINING.next()).containsExactlyInAnyOrder(DRAINED, STOPPING, OFFLINE);
        assertThat(DRAINED.next()).containsExactlyInAnyOrder(STOPPING, OFFLINE);
        assertThat(STOPPING.next()).containsExactly(OFFLINE);
    }

    @Test
    void a_starting_worker_may_begin_paused_draining_or_already_busy() {
        assertThat(STARTING.next()).containsExactlyInAnyOrder(IDLE, BUSY, PAUSED, DRAINING, DRAINED, STOPPING, OFFLINE);
    }

    @ParameterizedTest
    @EnumSource(names = {"IDLE", "BUSY", "PAUSED"})
    void a_worker_told_to_drain_may_be_drained_by_its_next_beat(WorkerStatus status) {
        assertThat(status.canMoveTo(DRAINED)).isTrue();
    }

    @Test
    void a_drained_worker_never_works_again() {
        for (WorkerStatus working : new WorkerStatus[] {IDLE, BUSY, PAUSED, DRAINING}) {
            assertThat(DRAINED.canMoveTo(working)).as("drained → %s", working).isFalse();
        }
    }

    @Test
    void nothing_goes_back_to_starting() {
        for (WorkerStatus status : WorkerStatus.values()) {
            assertThat(status.canMoveTo(STARTING)).as("%s → starting", status).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(WorkerStatus.class)
    void no_status_moves_to_itself(WorkerStatus status) {
        assertThat(status.canMoveTo(status)).isFalse();
    }

    @Test
    void the_table_is_closed_under_composition_because_heartbeats_only_sample_it() {
        for (WorkerStatus a : WorkerStatus.values()) {
            for (WorkerStatus b : a.next()) {
                for (WorkerStatus c : b.next()) {
                    if (c != a) {
                        assertThat(a.canMoveTo(c)).as("%s → %s → %s", a, b, c).isTrue();
                    }
                }
            }
        }
    }

    @Test
    void only_idle_and_busy_workers_claim_work() {
        assertThat(Arrays.stream(WorkerStatus.values()).filter(WorkerStatus::acceptsWork))
                .containsExactlyInAnyOrder(IDLE, BUSY);
    }
}
