package io.agentvine.worker.clarify;

import io.agentvine.model.ClarificationRequest;
import io.agentvine.model.WorkOrder;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * How a human_required change gets its approval before anything is pushed. The worker has committed
 * the change locally, told the controller the order is awaiting approval (with the diff summary and
 * the changed files), and keeps the lease while it waits — or, past the request's park time, parks.
 */
public interface Approvals {
    /** {@code PARKED}: nobody decided before the request's park time; the run parks on {@link Answer#parkedOn()}. */
    enum Decision { APPROVED, REJECTED, EXPIRED, STOPPED, PARKED }

    /** @param parkAt when the run parks instead of waiting on (null: it waits until {@code expiresAt}) */
    record Request(WorkOrder order, String workerId, String workOrderId, int attempt, String diffSummary, List<String> changedFiles,
                   Instant expiresAt, Instant parkAt) {
    }

    /** @param parkedOn the request the run parks on, with {@link Decision#PARKED} */
    record Answer(Decision decision, String comment, ClarificationRequest parkedOn) {
        public Answer(Decision decision, String comment) {
            this(decision, comment, null);
        }
    }

    /** Blocks until the change is approved or rejected, the request expires, or {@code stopped} turns true. */
    Answer await(Request request, BooleanSupplier stopped);
}
