package io.agentvine.queue;

import io.agentvine.model.Priority;
import io.agentvine.model.QueueLevel;
import io.agentvine.model.WorkOrderState;
import java.time.Instant;
import java.util.Map;

/** What Redis holds about one order: its payload and the queue's bookkeeping beside it. */
public record OrderRecord(
        String id,
        WorkOrderState state,
        Priority priority,
        QueueLevel level,
        int attempts,
        int maxAttempts,
        int stalls,
        long token,
        String worker,
        Instant leaseUntil,
        boolean cancelRequested,
        String error,
        String result,
        Instant enqueuedAt,
        Instant finishedAt,
        String payload) {

    static OrderRecord from(String id, Map<String, String> h, Instant leaseUntil) {
        return new OrderRecord(id,
                WorkOrderState.fromWire(h.get("state")),
                Priority.fromWire(h.get("prio")),
                QueueLevel.fromWire(h.get("level")),
                intOf(h.get("attempts")),
                intOf(h.get("max")),
                intOf(h.get("stalls")),
                h.get("token") == null ? 0 : Long.parseLong(h.get("token")),
                h.get("worker"),
                leaseUntil,
                "1".equals(h.get("cancel")),
                h.get("error"),
                h.get("result"),
                instant(h.get("enqueued_at")),
                instant(h.get("finished_at")),
                h.get("payload"));
    }

    private static int intOf(String v) {
        return v == null ? 0 : Integer.parseInt(v);
    }

    private static Instant instant(String v) {
        return v == null || v.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(v));
    }
}
