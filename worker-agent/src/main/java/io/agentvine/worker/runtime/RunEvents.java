package io.agentvine.worker.runtime;

import io.agentvine.model.LifecycleEvent;
import io.agentvine.model.LifecycleEventType;
import io.agentvine.model.RunStep;
import io.agentvine.queue.Claim;
import io.agentvine.queue.LifecycleStream;
import io.agentvine.worker.agent.output.AgentUsage;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs' lifecycle events on this worker's stream: builds them (work order, worker, attempt, task),
 * samples progress lines (every line is in the log file; a chatty agent must not flood Redis), and
 * hands out each run's usage as increments (the controller sums them). A failed publish is logged,
 * never thrown: the run and the queue's verdict stand either way.
 */
final class RunEvents implements RunPipeline.Events {
    private static final Logger log = LoggerFactory.getLogger(RunEvents.class);
    static final int MAX_PROGRESS = 2000;

    private final LifecycleStream stream;
    private final Supplier<String> workerId;
    private final Clock clock;
    private final Map<String, AtomicInteger> lines = new ConcurrentHashMap<>();

    RunEvents(LifecycleStream stream, Supplier<String> workerId, Clock clock) {
        this.stream = stream;
        this.workerId = workerId;
        this.clock = clock;
    }

    LifecycleEvent.Builder event(Claim claim, LifecycleEventType type) {
        return LifecycleEvent.builder(UUID.randomUUID().toString(), type, claim.id(), workerId.get(), claim.attempt(), clock.instant())
                .taskId(claim.order().taskId()).taskType(claim.type());
    }

    void publish(LifecycleEvent e) {
        try {
            stream.publish(e);
        } catch (RuntimeException ex) {
            log.warn("cannot publish {} of {}: {}", e.type().wireName(), e.workOrderId(), ex.getMessage());
        }
    }

    /** The first 20 lines of a run, then every 100th. */
    @Override
    public void progress(ActiveRun run, String message) {
        int i = lines.computeIfAbsent(run.claim.id(), k -> new AtomicInteger()).incrementAndGet();
        if (i <= 20 || i % 100 == 0) {
            publish(event(run.claim, LifecycleEventType.PROGRESS)
                    .message(message.length() > MAX_PROGRESS ? message.substring(0, MAX_PROGRESS) : message).build());
        }
    }

    @Override
    public void awaitingApproval(ActiveRun run, String diffSummary, List<String> changedFiles, Instant expiresAt) {
        publish(event(run.claim, LifecycleEventType.AWAITING_APPROVAL)
                .message("committed locally; waiting for an operator to approve the push (" + changedFiles.size() + " file(s))")
                .metadata(Map.of("diff_summary", diffSummary, "changed_files", changedFiles, "expires_at", expiresAt.toString()))
                .build());
    }

    @Override
    public void step(ActiveRun run, RunStep step) {
        run.step.enter(step).ifPresent(at -> stepChanged(run, at));
    }

    @Override
    public void stepBack(ActiveRun run, RunStep from, RunStep to) {
        run.step.leave(from, to).ifPresent(at -> stepChanged(run, at));
    }

    // The event's time is the step's: the heartbeat's step_since and this event agree on when it began.
    private void stepChanged(ActiveRun run, CurrentStep.At at) {
        Claim claim = run.claim;
        publish(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.STEP_CHANGED, claim.id(), workerId.get(),
                claim.attempt(), at.since()).taskId(claim.order().taskId()).taskType(claim.type()).step(at.step()).build());
    }

    /** Sends the usage the run gathered since its last report as a {@code token_usage} event, if there is any. */
    void usage(ActiveRun run) {
        LifecycleEvent.Builder b = event(run.claim, LifecycleEventType.TOKEN_USAGE).model(run.claim.order().model());
        if (withUsage(run, b)) {
            publish(b.build());
        }
    }

    /** Adds the usage not yet reported to {@code b} (an attempt's last event carries the rest); false when there was none. */
    static boolean withUsage(ActiveRun run, LifecycleEvent.Builder b) {
        RunWatch w = run.watch;
        if (w == null) {
            return false;
        }
        AgentUsage delta = w.takeDelta();
        if (delta.tokens().total() > 0 || delta.costUsd() != null) {
            b.tokenUsage(delta.tokens()).costUsd(delta.costUsd());
            return true;
        }
        return false;
    }

    /** A run ended: its progress count goes. */
    void forget(ActiveRun run) {
        lines.remove(run.claim.id());
    }
}
