package io.agentvine.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.controller.domain.TaskEvent;
import io.agentvine.controller.lifecycle.LifecycleApplier;
import io.agentvine.controller.persistence.AttemptRepository;
import io.agentvine.controller.persistence.AttemptRow;
import io.agentvine.controller.persistence.TaskRepository;
import io.agentvine.controller.persistence.TaskRow;
import io.agentvine.controller.persistence.TaskStore;
import io.agentvine.controller.workers.RecoveredTasks;
import io.agentvine.model.FailureReason;
import io.agentvine.model.Json;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.model.LifecycleEventType;
import io.agentvine.model.QueueOutcome;
import io.agentvine.model.TokenUsage;
import io.agentvine.model.WorkOrderState;
import io.agentvine.queue.RecoveryReport;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The columns the reports read on a run (V10), as a real run's accounting writes them: lifecycle events
 * through {@link LifecycleApplier}, a recovery through {@link RecoveredTasks}, an operator's retry through
 * {@link TaskStore}. A run copies its task's type, repository, model tier, model and creation time, counts
 * at its start (at its end when its start was never seen), and carries the task's state as it is now —
 * after a retry, a recovery, a release, a completion and an operator's retry. Run on H2 and PostgreSQL
 * (the subclasses: not in a test transaction, so that the reports' own connections see what was applied).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ReportColumnsContractTest implements TestPropertyProvider {
    private static final String ADMIN = "admin-key-report-columns";

    @Inject
    EmbeddedServer server;

    @Inject
    LifecycleApplier applier;

    @Inject
    RecoveredTasks recovered;

    @Inject
    TaskStore store;

    @Inject
    TaskRepository tasks;

    @Inject
    AttemptRepository attempts;

    @Inject
    javax.sql.DataSource db;

    protected abstract Map<String, String> database();

    @Override
    public Map<String, String> getProperties() {
        return TestProperties.on(database()).adminKeys(ADMIN).noBackground().build();
    }

    @Test
    void a_retried_task_s_runs_carry_its_columns_and_end_in_its_final_state() {
        String id = createTask();
        Instant t0 = Instant.parse("2026-01-05T10:00:00Z");
        apply(event(LifecycleEventType.STARTED, id, "w-a1", 1, t0).build());
        assertThat(runs(id)).singleElement().satisfies(r -> {
            assertCopiedFromTask(r);
            assertThat(r.taskState()).isEqualTo(WorkOrderState.RUNNING);
            assertThat(r.reportedAt()).isEqualTo(t0);
        });
        apply(event(LifecycleEventType.FAILED, id, "w-a1", 1, t0.plusSeconds(60)).outcome(FailureReason.AGENT_ERROR)
                .queueOutcome(QueueOutcome.RETRY_SCHEDULED).build());
        assertThat(runs(id)).extracting(AttemptRow::taskState).containsExactly(WorkOrderState.DELAYED);
        apply(event(LifecycleEventType.STARTED, id, "w-a2", 2, t0.plusSeconds(120)).build());
        apply(event(LifecycleEventType.COMPLETED, id, "w-a2", 2, t0.plusSeconds(180)).model("sonnet")
                .tokenUsage(new TokenUsage(100, 20, 0, 0)).costUsd(0.25).build());

        List<AttemptRow> runs = runs(id);
        assertThat(runs).extracting(AttemptRow::outcome).containsExactly("agent_error", "completed");
        assertThat(runs).extracting(AttemptRow::reportedAt).containsExactly(t0, t0.plusSeconds(120));
        assertThat(runs).extracting(AttemptRow::taskState).containsExactly(WorkOrderState.COMPLETED, WorkOrderState.COMPLETED);
        runs.forEach(this::assertCopiedFromTask);
        Map<String, Object> types = report("types", t0, t0.plusSeconds(3600));
        assertThat(types).containsEntry("tasks", 1).containsEntry("tasks_completed", 1).containsEntry("runs", 2)
                .containsEntry("retries", 1).containsEntry("reruns", 0);
        // estimated from a histogram of log-spaced bins: within a factor √2 (Rollups.percentile)
        assertThat(number(types, "run_time_p50_ms")).isBetween(60_000.0 / Math.sqrt(2), 60_000.0 * Math.sqrt(2));
    }

    @Test
    void a_recovered_and_a_released_run_then_a_free_demo_run_that_completes() {
        String id = createTask();
        Instant t0 = Instant.parse("2026-01-06T10:00:00Z");
        apply(event(LifecycleEventType.STARTED, id, "w-b1", 1, t0).build());
        recovered.record(new RecoveryReport(List.of(id), List.of(), List.of()), "lease expired", "lease_expired");
        assertThat(runs(id)).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo("recovered");
            assertThat(r.taskState()).isEqualTo(WorkOrderState.QUEUED);
        });
        apply(event(LifecycleEventType.STARTED, id, "w-b2", 1, t0.plusSeconds(100)).build());
        apply(event(LifecycleEventType.RELEASED, id, "w-b2", 1, t0.plusSeconds(110)).build());
        assertThat(runs(id)).extracting(AttemptRow::taskState).containsExactly(WorkOrderState.QUEUED, WorkOrderState.QUEUED);
        apply(event(LifecycleEventType.STARTED, id, "w-b3", 1, t0.plusSeconds(200)).build());
        apply(event(LifecycleEventType.COMPLETED, id, "w-b3", 1, t0.plusSeconds(230)).tokenUsage(new TokenUsage(50, 10, 0, 0))
                .costUsd(0.0).build());

        List<AttemptRow> runs = runs(id);
        assertThat(runs).extracting(AttemptRow::workerId).containsExactly("w-b1", "w-b2", "w-b3");
        assertThat(runs).extracting(AttemptRow::outcome).containsExactly("recovered", "released", "completed");
        assertThat(runs).extracting(AttemptRow::reportedAt).containsExactly(t0, t0.plusSeconds(100), t0.plusSeconds(200));
        assertThat(runs).extracting(AttemptRow::taskState).containsOnly(WorkOrderState.COMPLETED);
        runs.forEach(this::assertCopiedFromTask);
        Map<String, Object> types = report("types", t0, t0.plusSeconds(3600));
        assertThat(types).containsEntry("tasks", 1).containsEntry("tasks_completed", 1).containsEntry("runs", 3)
                .containsEntry("retries", 0).containsEntry("reruns", 2);
        assertThat(number(types, "total_cost_usd")).isZero();
        assertThat(number(types, "cost_per_completed_task")).isZero();
    }

    @Test
    void a_run_whose_start_was_never_seen_counts_at_its_end_and_follows_an_operator_s_retry() {
        String id = createTask();
        Instant t0 = Instant.parse("2026-01-07T10:00:00Z");
        apply(event(LifecycleEventType.FAILED, id, "w-c1", 1, t0).outcome(FailureReason.TESTS_FAILED)
                .queueOutcome(QueueOutcome.DEAD).build());
        assertThat(runs(id)).singleElement().satisfies(r -> {
            assertCopiedFromTask(r);
            assertThat(r.startedAt()).isNull();
            assertThat(r.reportedAt()).isEqualTo(t0);
            assertThat(r.taskState()).isEqualTo(WorkOrderState.DEAD);
        });
        Map<String, Object> dead = report("types", t0, t0.plusSeconds(1));
        assertThat(dead).containsEntry("tasks", 1).containsEntry("tasks_failed", 1).containsEntry("runs", 1);

        store.transition(id, t -> t.after(TaskEvent.RETRIED, null, t0.plusSeconds(10)));
        assertThat(runs(id)).extracting(AttemptRow::taskState).containsExactly(WorkOrderState.QUEUED);
        assertThat(report("types", t0, t0.plusSeconds(1))).containsEntry("tasks", 1).containsEntry("tasks_failed", 0);
    }

    @Test
    void every_kind_of_event_keeps_the_rollups_equal_to_a_rebuild_those_that_change_no_run_without_moving_them() throws Exception {
        String id = createTask();
        Instant t0 = Instant.parse("2026-01-08T10:00:00Z");
        List<LifecycleEvent> run = List.of(
                event(LifecycleEventType.STARTED, id, "w-d1", 1, t0).build(),
                event(LifecycleEventType.STEP_CHANGED, id, "w-d1", 1, t0.plusSeconds(1)).step(io.agentvine.model.RunStep.CLONING).build(),
                event(LifecycleEventType.STEP_CHANGED, id, "w-d1", 1, t0.plusSeconds(5)).step(io.agentvine.model.RunStep.AGENT_RUNNING).build(),
                event(LifecycleEventType.PROGRESS, id, "w-d1", 1, t0.plusSeconds(6)).message("editing README.md").build(),
                event(LifecycleEventType.TOKEN_USAGE, id, "w-d1", 1, t0.plusSeconds(20)).tokenUsage(new TokenUsage(70, 5, 0, 0))
                        .costUsd(0.1).build(),
                event(LifecycleEventType.STEP_CHANGED, id, "w-d1", 1, t0.plusSeconds(30)).step(io.agentvine.model.RunStep.TESTING).build(),
                event(LifecycleEventType.AWAITING_APPROVAL, id, "w-d1", 1, t0.plusSeconds(40)).build());
        for (LifecycleEvent e : run) {
            apply(e);
            assertRollupsRebuilt("after " + e.type());
        }
        assertThat(tasks.findById(id).orElseThrow().state()).isEqualTo(WorkOrderState.AWAITING_APPROVAL);
        assertThat(runs(id)).singleElement().satisfies(r -> assertThat(r.taskState()).isEqualTo(WorkOrderState.AWAITING_APPROVAL));
        apply(event(LifecycleEventType.COMPLETED, id, "w-d1", 1, t0.plusSeconds(90)).tokenUsage(new TokenUsage(100, 20, 0, 0))
                .costUsd(0.25).build());
        assertRollupsRebuilt("after completed");
        assertThat(report("types", t0, t0.plusSeconds(3600))).containsEntry("tasks", 1).containsEntry("tasks_completed", 1)
                .containsEntry("runs", 1);
        // which events move the rollups is decided per type, for every type (a new one must choose)
        assertThat(java.util.Arrays.stream(LifecycleEventType.values()).filter(t -> !LifecycleApplier.changesRuns(t)))
                .containsExactlyInAnyOrder(LifecycleEventType.PROGRESS, LifecycleEventType.STEP_CHANGED,
                        LifecycleEventType.AWAITING_APPROVAL);
    }

    private void assertRollupsRebuilt(String when) throws java.sql.SQLException {
        try (var c = io.micronaut.data.connection.jdbc.advice.DelegatingDataSource.unwrapDataSource(db).getConnection()) {
            assertThat(io.agentvine.controller.reports.Rollups.differences(c)).as("rollups " + when).isEmpty();
        }
    }

    @org.junit.jupiter.api.AfterEach
    void the_rollups_equal_a_rebuild_from_the_runs() throws java.sql.SQLException {
        try (var c = io.micronaut.data.connection.jdbc.advice.DelegatingDataSource.unwrapDataSource(db).getConnection()) {
            assertThat(io.agentvine.controller.reports.Rollups.differences(c)).as("rollups moved by the accounting").isEmpty();
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private void assertCopiedFromTask(AttemptRow run) {
        TaskRow task = tasks.findById(run.taskId()).orElseThrow();
        assertThat(run.taskType()).isEqualTo(task.type());
        assertThat(run.repositoryUrl()).isEqualTo(task.repositoryUrl());
        assertThat(run.modelTier()).isEqualTo(task.modelTier());
        assertThat(run.taskModel()).isEqualTo(task.model());
        assertThat(run.taskCreatedAt()).isEqualTo(task.createdAt());
        assertThat(run.taskState()).isEqualTo(task.state());
    }

    private List<AttemptRow> runs(String taskId) {
        return attempts.findByTaskIdOrderByAttemptAndId(taskId);
    }

    private static LifecycleEvent.Builder event(LifecycleEventType type, String taskId, String worker, int attempt, Instant at) {
        return LifecycleEvent.builder(UUID.randomUUID().toString(), type, taskId, worker, attempt, at);
    }

    private void apply(LifecycleEvent e) {
        assertThat(applier.apply(e)).as("applied " + e.type()).isTrue();
    }

    /** The one row of a report over {@code [since, until)}: the tests' tasks are all docs tasks in one repository. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> report(String report, Instant since, Instant until) {
        TestHttp.Reply r = http().send("GET", "/api/v1/reports/" + report + "?since=" + since + "&until=" + until,
                TestHttp.bearer(ADMIN), null, Map.of());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<Map<String, Object>> rows = (List<Map<String, Object>>) Json.read(r.body(), Map.class).get("rows");
        assertThat(rows).as(r.body()).hasSize(1);
        return rows.get(0);
    }

    private static double number(Map<String, Object> row, String field) {
        assertThat(row.get(field)).as(field).isInstanceOf(Number.class);
        return ((Number) row.get(field)).doubleValue();
    }

    private TestHttp http() {
        return new TestHttp(() -> server.getURI().toString());
    }

    private String createTask() {
        return http().createDocsTask(ADMIN, "Report columns");
    }
}
