package io.agentvine.worker.runtime;

import io.agentvine.model.FailureReason;
import io.agentvine.model.Json;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.model.LifecycleEventType;
import io.agentvine.model.QueueOutcome;
import io.agentvine.queue.Claim;
import io.agentvine.queue.FailResult;
import io.agentvine.queue.WorkQueue;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a run's {@link RunResult} into the queue's move and the run's last lifecycle event: completed →
 * ack and {@code completed}; stopped for shutdown → release and {@code released}; a lost lease → no
 * move (the queue took the order back) and {@code failed} with the verdict {@code lost}; any other
 * failure → fail (retried while retryable and attempts remain, dead-lettered when the payload is
 * unusable, failed otherwise) and {@code failed} or {@code cancelled} with the queue's verdict. The
 * last event carries the usage not yet reported.
 *
 * <p>Ack claims next: when the slot of a completed run would claim again at once, the ack and the
 * next claim (of the same type) are one round trip, and the claimed order is returned for that slot.
 */
final class RunReporter {
    static final String LOST = "finished, but the order had been recovered from this worker";

    private final WorkQueue queue;
    private final RunEvents events;
    private final RunLog runLog;
    private final RunMeters meters;
    private final WorkerState state;

    RunReporter(WorkQueue queue, RunEvents events, RunLog runLog, RunMeters meters, WorkerState state) {
        this.queue = queue;
        this.events = events;
        this.runLog = runLog;
        this.meters = meters;
        this.state = state;
    }

    /** The run's end in the log and in the meters ({@code outcome} as {@link RunLog#ended} takes it). */
    private void ended(ActiveRun run, RunResult r, String outcome, FailureReason reason, String message) {
        runLog.ended(run, outcome, reason, message);
        meters.ended(run, reason == null || outcome.equals("released") ? outcome
                : outcome.equals("lost") ? FailureReason.LOST_LEASE.wireName() : reason.wireName(), r);
    }

    /**
     * Reports the run's end.
     *
     * @param claimNext the run's slot would claim again at once: a completed run's ack also claims
     * @return the order the ack claimed for the slot; empty when none was asked for, none was ready, or
     *         the ack was rejected
     */
    Optional<Claim> report(ActiveRun run, RunResult r, boolean claimNext) {
        try {
            return reportOnce(run, r, claimNext);
        } finally {
            events.forget(run);
        }
    }

    private Optional<Claim> reportOnce(ActiveRun run, RunResult r, boolean claimNext) {
        if (r.completed()) {
            return completed(run, r, claimNext);
        }
        if (r.parked() != null) {
            parked(run, r);
            return Optional.empty();
        }
        if (r.reason() == FailureReason.WORKER_LOST && run.stopped() == ActiveRun.Stop.RELEASED) {
            released(run, r);
        } else if (r.reason() == FailureReason.LOST_LEASE) {
            ended(run, r, "lost", r.reason(), r.message());
            events.publish(last(run, LifecycleEventType.FAILED).outcome(FailureReason.LOST_LEASE).message(r.message())
                    .result(r.result()).queueOutcome(QueueOutcome.LOST).build());
        } else {
            failed(run, r);
        }
        return Optional.empty();
    }

    private Optional<Claim> completed(ActiveRun run, RunResult r, boolean claimNext) {
        Claim claim = run.claim;
        boolean acked;
        Optional<Claim> next = Optional.empty();
        if (claimNext) {
            WorkQueue.AckResult a = queue.ackAndClaimNext(claim);
            acked = a.acked();
            next = a.next();
        } else {
            acked = queue.ack(claim);
        }
        if (acked) {
            state.completedOne();
            ended(run, r, "completed", null, null);
            events.publish(last(run, LifecycleEventType.COMPLETED).result(r.result()).build());
            return next;
        }
        ended(run, r, "lost", FailureReason.LOST_LEASE, LOST);
        events.publish(last(run, LifecycleEventType.FAILED).outcome(FailureReason.LOST_LEASE).message(LOST)
                .queueOutcome(QueueOutcome.LOST).build());
        return Optional.empty(); // a rejected ack claims nothing (ack.lua)
    }

    private void released(ActiveRun run, RunResult r) {
        boolean released = queue.release(run.claim);
        ended(run, r, released ? "released" : "lost", r.reason(), r.message());
        events.publish(last(run, LifecycleEventType.RELEASED).message(released ? "back at the head of its queue"
                : "not released: the order had been recovered").build());
    }

    /** Parks the order (its slot is free once this returns) and says where the work was saved. */
    private void parked(ActiveRun run, RunResult r) {
        Map<String, Object> result = new LinkedHashMap<>(r.result());
        result.put("parked", Json.mapper().convertValue(r.parked(), Map.class));
        LifecycleEvent report = last(run, LifecycleEventType.PARKED).message(r.message()).result(result).build();
        // the report rides on the parked order too: if it never reaches the controller (this JVM killed right after the
        // park, Redis unreachable for the publish), the controller adopts the park from there
        WorkQueue.ParkResult p = queue.park(run.claim, Json.write(report));
        switch (p) {
            case PARKED -> {
                ended(run, r, "parked", null, r.message());
                events.publish(report);
            }
            case CANCELLED -> {
                ended(run, r, "cancelled", FailureReason.CANCELLED, "cancelled while it parked");
                events.publish(last(run, LifecycleEventType.CANCELLED).outcome(FailureReason.CANCELLED)
                        .message("cancelled by an operator while it parked").result(r.result()).queueOutcome(QueueOutcome.CANCELLED).build());
            }
            case LOST -> {
                ended(run, r, "lost", FailureReason.LOST_LEASE, LOST);
                events.publish(last(run, LifecycleEventType.FAILED).outcome(FailureReason.LOST_LEASE).message(LOST)
                        .queueOutcome(QueueOutcome.LOST).build());
            }
        }
    }

    private void failed(ActiveRun run, RunResult r) {
        FailResult.Disposition d = r.reason() == FailureReason.INVALID_PAYLOAD ? FailResult.Disposition.DEAD_LETTER // never usable
                : r.reason().retryable() ? FailResult.Disposition.RETRY : FailResult.Disposition.FAIL;
        FailResult f = queue.fail(run.claim, r.reason().wireName() + ": " + r.message(), d);
        ended(run, r, f.outcome().name().toLowerCase(Locale.ROOT), r.reason(), r.message());
        LifecycleEventType type = f.outcome() == QueueOutcome.CANCELLED ? LifecycleEventType.CANCELLED : LifecycleEventType.FAILED;
        events.publish(last(run, type).outcome(r.reason()).message(r.message()).result(r.result())
                .queueOutcome(f.outcome()).build());
    }

    /** An attempt's last event, with the usage not yet reported. */
    private LifecycleEvent.Builder last(ActiveRun run, LifecycleEventType type) {
        LifecycleEvent.Builder b = events.event(run.claim, type);
        RunEvents.withUsage(run, b);
        return b;
    }
}
