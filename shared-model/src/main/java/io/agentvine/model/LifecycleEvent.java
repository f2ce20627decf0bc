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
        Map<String, Object> metadata) {

    public static final int MAX_MESSAGE_BYTES = 64 * 1024;

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
        public Builder metadata(Map<String, Object> v) { this.metadata = v; return this; }

        public LifecycleEvent build() {
            return new LifecycleEvent(null, eventId, type, workOrderId, taskId, workerId, taskType, attempt, at,
                    message, outcome, tokenUsage, costUsd, model, result, metadata);
        }
    }
}
