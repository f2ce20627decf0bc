package io.agentvine.worker.runtime;

import io.agentvine.model.WorkOrder;
import java.time.Clock;
import java.time.Duration;
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

    /**
     * No approval channel: the order waits, visibly awaiting approval, until the request expires or
     * the run is stopped (cancel, shutdown). Used when the worker has no channel to the operators.
     */
    static Approvals unavailable(Clock clock) {
        return (request, stopped) -> {
            while (!stopped.getAsBoolean()) {
                if (!clock.instant().isBefore(request.expiresAt())) {
                    return new Answer(Decision.EXPIRED, "no approval channel is available to this worker");
                }
                try {
                    Thread.sleep(Duration.ofMillis(200).toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Answer(Decision.STOPPED, "interrupted");
                }
            }
            return new Answer(Decision.STOPPED, "the run was stopped while waiting for approval");
        };
    }
}
