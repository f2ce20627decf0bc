package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * What workers write to the Redis events stream the controller consumes: one thing that happened to
 * one attempt of one work order.
 *
 * <p>Cross-field rules: a {@code failed} event must say why ({@code outcome}); a {@code cancelled}
 * event may; no other type carries an outcome. A {@code token_usage} event must carry
 * {@code token_usage}.
 *
 * @param eventId      unique per event, so the controller can drop a redelivered one
 * @param taskId       defaults to {@code workOrderId}, as in {@link WorkOrder}
 * @param attempt      the 1-based attempt that produced the event; events of an older attempt are stale
 * @param at           when it happened, on the worker's clock
 * @param message      human-readable detail, at most 64 KiB in UTF-8; larger output belongs in the worker's logs
 * @param costUsd      cost of the model calls this event accounts for
 * @param model        the model that ran, e.g. "claude-sonnet-4"
 * @param result       what a completed attempt produced, e.g. commit sha, branch, pr_url; kept as given
 * @param queueOutcome the queue's verdict on a {@code failed} or {@code cancelled} attempt (retried, failed,
 *                     dead, cancelled, or lost: the holder no longer held the order)
 * @param claimedAt    when the worker claimed the order (on a {@code started} event): claim-to-start latency
 * @param logLocation  where the attempt's full log is, e.g. "worker w-1: /var/log/agentvine/t-1.log"
 *                     (on a {@code started} event)
 * @param step         the step the run entered (required on a {@code step_changed} event, and only there); its
 *                     {@code at} is when it entered it
 * @param metadata     anything else, passed through untouched
 *
 * <p><b>Schema versions.</b> Version {@value #SCHEMA_VERSION} carries the queue outcome, claim time and
 * log location as fields. Version 1 workers wrote them into {@code metadata} ({@code queue_outcome},
 * {@code claimed_at}, {@code log_location}); an event of version 1 is read into the same fields, so a
 * controller applies an old worker's event exactly like a new one during a rolling upgrade (upgrade the
 * controller first: an old controller reads none of the new fields). The {@code step_changed} type and its
 * {@code step} field were added within version 2 (an added field, not a changed meaning): a controller that
 * predates them does not know the type, so here too the controller is upgraded first.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LifecycleEvent(
        Integer schemaVersion,
        String eventId,
        LifecycleEventType type,
        String workOrderId,
        String taskId,
        String workerId,
        TaskType taskType,
        Integer attempt,
        Instant at,
        String message,
        FailureReason outcome,
        TokenUsage tokenUsage,
        Double costUsd,
        String model,
        Map<String, Object> result,
        QueueOutcome queueOutcome,
        Instant claimedAt,
        String logLocation,
        RunStep step,
        Map<String, Object> metadata) {

    public static final int MAX_MESSAGE_BYTES = 64 * 1024;
    /** The version this code writes; see "Schema versions" above. */
    public static final int SCHEMA_VERSION = 2;
    /** Where version 1 kept the typed fields of version 2, in {@code metadata}. */
    public static final String V1_QUEUE_OUTCOME = "queue_outcome";
    public static final String V1_CLAIMED_AT = "claimed_at";
    public static final String V1_LOG_LOCATION = "log_location";

    public LifecycleEvent {
        schemaVersion = Check.schemaVersion(schemaVersion);
        Check.id(eventId, "event_id");
        Check.required(type, "type");
        Check.id(workOrderId, "work_order_id");
        taskId = Check.id(taskId == null ? workOrderId : taskId, "task_id");
        Check.id(workerId, "worker_id");
        Check.positive(Check.required(attempt, "attempt"), "attempt");
        Check.required(at, "at");
        message = checkMessage(Check.optionalText(message, "message", Integer.MAX_VALUE));
        checkOutcome(type, outcome);
        if (type == LifecycleEventType.TOKEN_USAGE && tokenUsage == null) {
            throw new InvalidMessageException("token_usage", "is required when type is token_usage");
        }
        Check.nonNegativeAmount(costUsd, "cost_usd");
        model = Check.optionalText(model, "model", 100);
        result = Check.metadata(result, "result");
        metadata = Check.metadata(metadata, "metadata");
        if (schemaVersion < 2) {
            boolean verdictAllowed = type == LifecycleEventType.FAILED || type == LifecycleEventType.CANCELLED;
            queueOutcome = queueOutcome != null || !verdictAllowed ? queueOutcome : v1QueueOutcome(metadata);
            claimedAt = claimedAt != null ? claimedAt : v1Instant(metadata.get(V1_CLAIMED_AT));
            logLocation = logLocation != null ? logLocation : v1Text(metadata.get(V1_LOG_LOCATION));
        }
        if (queueOutcome != null && type != LifecycleEventType.FAILED && type != LifecycleEventType.CANCELLED) {
            throw new InvalidMessageException("queue_outcome", "is only allowed when type is failed or cancelled, type was "
                    + type.wireName());
        }
        logLocation = Check.optionalText(logLocation, "log_location", 4096);
        if (type == LifecycleEventType.STEP_CHANGED && step == null) {
            throw new InvalidMessageException("step", "is required when type is step_changed");
        }
        if (step != null && type != LifecycleEventType.STEP_CHANGED) {
            throw new InvalidMessageException("step", "is only allowed when type is step_changed, type was " + type.wireName());
        }
    }

    // Version 1 values were free-form metadata: one that does not read is dropped, as version 1 readers did.
    private static QueueOutcome v1QueueOutcome(Map<String, Object> metadata) {
        Object v = metadata.get(V1_QUEUE_OUTCOME);
        try {
            return v == null ? null : QueueOutcome.fromWire(v.toString());
        } catch (InvalidMessageException unknown) {
            return null;
        }
    }

    private static Instant v1Instant(Object v) {
        try {
            return v == null ? null : Instant.parse(v.toString());
        } catch (java.time.format.DateTimeParseException malformed) {
            return null;
        }
    }

    private static String v1Text(Object v) {
        return v == null || v.toString().isBlank() ? null : v.toString();
    }

    // Rejected, not truncated: a cut-off message would hide its own end, which is usually the error.
    private static String checkMessage(String message) {
        // A char is at most 3 UTF-8 bytes: short messages skip the encoding.
        if (message != null && message.length() > MAX_MESSAGE_BYTES / 3) {
            int bytes = message.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_MESSAGE_BYTES) {
                throw new InvalidMessageException("message", "is " + bytes + " bytes in UTF-8; the limit is "
                        + MAX_MESSAGE_BYTES + " (64 KiB): put long output in the worker's logs");
            }
        }
        return message;
    }

    private static void checkOutcome(LifecycleEventType type, FailureReason outcome) {
        if (type == LifecycleEventType.FAILED && outcome == null) {
            throw new InvalidMessageException("outcome", "is required when type is failed");
        }
        if (outcome != null && type != LifecycleEventType.FAILED && type != LifecycleEventType.CANCELLED) {
            throw new InvalidMessageException("outcome", "is only allowed when type is failed or cancelled, type was "
                    + type.wireName());
        }
    }

    /** Starts an event with its required fields; JSON goes through the canonical constructor. */
    public static Builder builder(String eventId, LifecycleEventType type, String workOrderId, String workerId,
            int attempt, Instant at) {
        return new Builder(eventId, type, workOrderId, workerId, attempt, at);
    }

    /** Convenience for workers and tests. */
    public static final class Builder {
        private final String eventId;
        private final LifecycleEventType type;
        private final String workOrderId;
        private final String workerId;
        private final int attempt;
        private final Instant at;
        private String taskId;
        private TaskType taskType;
        private String message;
        private FailureReason outcome;
        private TokenUsage tokenUsage;
        private Double costUsd;
        private String model;
        private Map<String, Object> result;
        private QueueOutcome queueOutcome;
        private Instant claimedAt;
        private String logLocation;
        private RunStep step;
        private Map<String, Object> metadata;

        private Builder(String eventId, LifecycleEventType type, String workOrderId, String workerId, int attempt,
                Instant at) {
            this.eventId = eventId;
            this.type = type;
            this.workOrderId = workOrderId;
            this.workerId = workerId;
            this.attempt = attempt;
            this.at = at;
        }

        public Builder taskId(String v) { this.taskId = v; return this; }
        public Builder taskType(TaskType v) { this.taskType = v; return this; }
        public Builder message(String v) { this.message = v; return this; }
        public Builder outcome(FailureReason v) { this.outcome = v; return this; }
        public Builder tokenUsage(TokenUsage v) { this.tokenUsage = v; return this; }
        public Builder costUsd(Double v) { this.costUsd = v; return this; }
        public Builder model(String v) { this.model = v; return this; }
        public Builder result(Map<String, Object> v) { this.result = v; return this; }
        public Builder queueOutcome(QueueOutcome v) { this.queueOutcome = v; return this; }
        public Builder claimedAt(Instant v) { this.claimedAt = v; return this; }
        public Builder logLocation(String v) { this.logLocation = v; return this; }
        public Builder step(RunStep v) { this.step = v; return this; }
        public Builder metadata(Map<String, Object> v) { this.metadata = v; return this; }

        public LifecycleEvent build() {
            return new LifecycleEvent(SCHEMA_VERSION, eventId, type, workOrderId, taskId, workerId, taskType, attempt, at,
                    message, outcome, tokenUsage, costUsd, model, result, queueOutcome, claimedAt, logLocation, step, metadata);
        }
    }
}
