package io.agentvine.worker.clarify;

import io.agentvine.model.WorkOrder;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * How a human_required change gets its approval before anything is pushed. The worker has committed
 * the change locally, told the controller the order is awaiting approval (with the diff summary and
 * the changed files), and keeps the lease while it waits.
 */
public interface Approvals {
    enum Decision { APPROVED, REJECTED, EXPIRED, STOPPED }

    record Request(WorkOrder order, String workerId, String workOrderId, int attempt, String diffSummary, List<String> changedFiles,
                   Instant expiresAt) {
    }

    record Answer(Decision decision, String comment) {
    }

    /** Blocks until the change is approved or rejected, the request expires, or {@code stopped} turns true. */
    Answer await(Request request, BooleanSupplier stopped);
}
