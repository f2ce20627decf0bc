package io.agentvine.logging;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * The fields a log line carries besides its message (SLF4J's MDC; the JSON format writes them as
 * top-level fields, see logback.xml): which worker, task, work order and attempt a line is about, and
 * the lifecycle {@code event} it records with its {@code reason}. A scope puts its fields and, when
 * closed, restores what the thread had before, so scopes nest:
 * <pre>
 * try (var run = LogContext.run(workerId, taskId, orderId, attempt)) {
 *     try (var e = LogContext.event("failed", "tests_failed")) { log.warn(...); }
 * }
 * </pre>
 */
public final class LogContext implements AutoCloseable {
    public static final String WORKER_ID = "worker_id";
    public static final String TASK_ID = "task_id";
    public static final String WORK_ORDER_ID = "work_order_id";
    public static final String ATTEMPT = "attempt";
    public static final String EVENT = "event";
    public static final String REASON = "reason";

    private final Map<String, String> previous = new LinkedHashMap<>();

    private LogContext(Map<String, String> fields) {
        fields.forEach((k, v) -> {
            previous.put(k, MDC.get(k));
            if (v == null) {
                MDC.remove(k);
            } else {
                MDC.put(k, v);
            }
        });
    }

    /** The run a thread works on; a null value leaves its field out. */
    public static LogContext run(String workerId, String taskId, String workOrderId, Integer attempt) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put(WORKER_ID, workerId);
        f.put(TASK_ID, taskId);
        f.put(WORK_ORDER_ID, workOrderId);
        f.put(ATTEMPT, attempt == null ? null : attempt.toString());
        return new LogContext(f);
    }

    /** A lifecycle event: claimed, started, completed, failed, released, recovered, cancelled, ... */
    public static LogContext event(String event) {
        return event(event, null);
    }

    /** A lifecycle event with its reason (a failure class such as {@code tests_failed}). */
    public static LogContext event(String event, String reason) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put(EVENT, event);
        f.put(REASON, reason);
        return new LogContext(f);
    }

    /** Restores the fields as they were before this scope. */
    @Override
    public void close() {
        previous.forEach((k, v) -> {
            if (v == null) {
                MDC.remove(k);
            } else {
                MDC.put(k, v);
            }
        });
    }
}
