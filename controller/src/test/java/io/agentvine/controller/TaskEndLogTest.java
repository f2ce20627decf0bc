package io.agentvine.controller;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentvine.controller.domain.TaskEvent;
import io.agentvine.controller.lifecycle.LifecycleApplier;
import io.agentvine.controller.persistence.TaskStore;
import io.agentvine.controller.tasks.TaskService;
import io.agentvine.model.FailureReason;
import io.agentvine.model.Json;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.model.QueueOutcome;
import io.agentvine.model.LifecycleEventType;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * The controller says, in its log, how every task ended and why: once per final transition, INFO for
 * completed and cancelled, WARN for failed and dead-lettered (and for a failed attempt that is retried).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskEndLogTest implements TestPropertyProvider {
    private static final String ADMIN = "admin-key-end-log";

    @Inject
    EmbeddedServer server;

    @Inject
    LifecycleApplier applier;

    @Inject
    TaskService tasks;

    @Inject
    TaskStore store;

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger storeLog = (Logger) LoggerFactory.getLogger(TaskStore.class);

    @Override
    public Map<String, String> getProperties() {
        return TestProperties.onH2().adminKeys(ADMIN).noBackground().build();
    }

    private Level testLevel;

    @BeforeEach
    void capture() {
        testLevel = storeLog.getLevel(); // the tests' logback configuration logs WARN and up only
        storeLog.setLevel(Level.INFO);
        lines.start();
        storeLog.addAppender(lines);
    }

    @AfterEach
    void release() {
        storeLog.detachAppender(lines);
        lines.stop();
        storeLog.setLevel(testLevel);
    }

    @Test
    void a_completed_task_is_logged_once_at_info() throws Exception {
        String id = createTask();
        apply(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.STARTED, id, "w-1", 1, Instant.now()).build());
        LifecycleEvent done = LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.COMPLETED, id, "w-1", 1,
                Instant.now()).result(Map.of("pull_request_url", "https://git.example.com/a/b/pull/1")).build();
        apply(done);
        assertThat(applier.apply(done)).as("a redelivery").isFalse();
        apply(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.COMPLETED, id, "w-1", 1, Instant.now()).build());

        assertThat(ends(id)).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.INFO);
            assertThat(e.getFormattedMessage()).isEqualTo("task " + id + " completed (type docs, attempt 1, worker w-1)");
        });
    }

    @Test
    void a_retried_attempt_and_the_final_failure_are_logged_at_warn_with_their_reason() throws Exception {
        String id = createTask();
        apply(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.STARTED, id, "w-1", 1, Instant.now()).build());
        // an old (schema 1) worker's event: the queue's verdict in metadata, as a rolling upgrade delivers it
        apply(schema1(failed(id, 1, FailureReason.CLONE_FAILED, "git.example.com:443 sent nothing for 60 s", "retry_scheduled")));
        apply(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.STARTED, id, "w-2", 2, Instant.now()).build());
        apply(failed(id, 2, FailureReason.TESTS_FAILED, "3 of 40 tests failed", "failed"));
        apply(failed(id, 2, FailureReason.TESTS_FAILED, "a late duplicate", "failed"));

        assertThat(ends(id)).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.WARN);
        assertThat(ends(id)).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "task " + id + " attempt 1 failed, retry scheduled (type docs, worker w-1): clone_failed: "
                        + "git.example.com:443 sent nothing for 60 s",
                "task " + id + " failed (type docs, attempt 2, worker w-2): tests_failed: 3 of 40 tests failed");
    }

    @Test
    void a_timeout_that_dead_letters_the_task_is_logged_at_warn() throws Exception {
        String id = createTask();
        apply(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.STARTED, id, "w-1", 1, Instant.now()).build());
        apply(failed(id, 1, FailureReason.TIMEOUT, "the attempt's deadline (60 s) passed during clone", "dead"));

        assertThat(ends(id)).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).isEqualTo("task " + id + " dead-lettered (type docs, attempt 1, worker w-1): "
                    + "timeout: the attempt's deadline (60 s) passed during clone");
        });
    }

    @Test
    void a_cancel_by_an_operator_and_a_recovery_by_the_sweeper_are_logged_where_the_state_is_written() throws Exception {
        String queued = createTask();
        tasks.cancel(queued);
        assertThat(ends(queued)).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.INFO);
            assertThat(e.getFormattedMessage()).isEqualTo("task " + queued
                    + " cancelled (type docs, attempt 0, worker null): cancelled by operator");
        });

        // What FleetSweeper writes when a stale worker's order was dead-lettered.
        String stalled = createTask();
        apply(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.STARTED, stalled, "w-9", 1, Instant.now()).build());
        String why = "worker w-9 stale; stalled too often, dead-lettered";
        store.transition(stalled, t -> t.after(TaskEvent.DEAD_LETTERED, why, Instant.now()));
        store.transition(stalled, t -> t.after(TaskEvent.DEAD_LETTERED, why, Instant.now())); // refused: dead already
        assertThat(ends(stalled)).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).isEqualTo("task " + stalled
                    + " dead-lettered (type docs, attempt 1, worker w-9): " + why);
        });
    }

    private List<ILoggingEvent> ends(String id) {
        return lines.list.stream().filter(e -> e.getFormattedMessage().startsWith("task " + id + " ")).toList();
    }

    private void apply(LifecycleEvent e) {
        assertThat(applier.apply(e)).as("applied " + e.type()).isTrue();
    }

    private static LifecycleEvent failed(String id, int attempt, FailureReason reason, String message, String queueOutcome) {
        return LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.FAILED, id, "w-" + attempt, attempt,
                Instant.now()).outcome(reason).message(message)
                .queueOutcome(QueueOutcome.fromWire(queueOutcome)).build();
    }

    /** The event as a schema 1 worker wrote it: no version, the queue's verdict in metadata.queue_outcome. */
    private static LifecycleEvent schema1(LifecycleEvent e) {
        ObjectNode json = (ObjectNode) Json.readTree(Json.write(e));
        json.remove("schema_version");
        json.putObject("metadata").put("queue_outcome", json.remove("queue_outcome").asText());
        LifecycleEvent old = Json.read(json.toString(), LifecycleEvent.class);
        assertThat(old.schemaVersion()).isEqualTo(1);
        return old;
    }

    private String createTask() {
        return new TestHttp(() -> server.getURI().toString()).createDocsTask(ADMIN, "End log");
    }
}
