package io.agentvine.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One message of every kind with every field set, so a test sees the whole wire form. */
final class Samples {
    static final Instant T0 = Instant.parse("2025-01-31T12:00:00Z");
    static final Instant T1 = Instant.parse("2025-01-31T12:05:30.123456789Z");
    static final Map<String, Object> METADATA = Map.of("origin", "test");

    private Samples() {
    }

    static WorkOrder workOrder() {
        return new WorkOrder(1, "wo-1", "task-1", TaskType.BUGFIX, Priority.P1, "https://github.com/acme/app.git",
                "main", "Fix the login bug", "Users cannot log in with SSO.", PermissionLevel.AUTONOMOUS,
                "mvn -q test", ModelTier.STANDARD, "claude-sonnet-4", new Budget(40, 2.5, 1800), "idem-1", 1, 5,
                T0, T1, METADATA, null, null);
    }

    static WorkerRegistration registration() {
        return new WorkerRegistration(1, "worker-a.local", List.of(TaskType.FEATURE, TaskType.of("security-audit")),
                "0.1.0", 4, List.of("java", "kotlin"), List.of("docker", "node"), METADATA);
    }

    static RegistrationReply registrationReply() {
        return new RegistrationReply(1, "w-42", 15, 60, WorkerCommand.PAUSE, METADATA);
    }

    static HeartbeatReply heartbeatReply() {
        return new HeartbeatReply(1, WorkerCommand.DRAIN, 15, 60, METADATA);
    }

    static WorkerMetrics metrics() {
        return new WorkerMetrics(250.5, 3_000_000_000L, 8_000_000_000L, 40_000_000_000L, 60_000_000_000L, 1.75, 86_400L);
    }

    static CurrentTask currentTask() {
        return new CurrentTask("wo-1", "task-1", TaskType.BUGFIX, T0, 2);
    }

    static Heartbeat heartbeat() {
        return new Heartbeat(1, "w-42", WorkerStatus.BUSY,
                List.of(currentTask(), new CurrentTask("wo-2", null, TaskType.DOCS, T1, null)), metrics(), T1, METADATA);
    }

    static TokenUsage tokenUsage() {
        return new TokenUsage(1200, 340, 5000, 800);
    }

    static LifecycleEvent failedEvent() {
        return new LifecycleEvent(LifecycleEvent.SCHEMA_VERSION, "ev-1", LifecycleEventType.FAILED, "wo-1", "task-1", "w-42",
                TaskType.BUGFIX, 2, T1, "mvn test: 3 failures", FailureReason.TESTS_FAILED, tokenUsage(), 0.42,
                "claude-sonnet-4", Map.of("branch", "agentvine/wo-1", "commit_sha", "0123abcd"), QueueOutcome.DEAD, null,
                null, null, METADATA);
    }

    static ClarificationRequest approval() {
        return new ClarificationRequest(1, "cq-1", ClarificationKind.APPROVAL, "w-42", "wo-1", "task-1",
                "May I push this change?", List.of("yes", "no"), Map.of("files", List.of("a.java")), T0,
                T0.plusSeconds(3600), "conv-1", "Renames Foo to Bar", List.of("src/Foo.java", "src/Bar.java"), METADATA);
    }

    static ClarificationResponse answered() {
        return new ClarificationResponse(1, "cq-1", ClarificationStatus.ANSWERED, "Use the v2 API", "alice", T1,
                METADATA);
    }
}
