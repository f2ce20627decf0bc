package io.agentvine.worker.runtime;

import io.agentvine.model.CurrentTask;
import io.agentvine.model.Heartbeat;
import io.agentvine.model.HeartbeatReply;
import io.agentvine.worker.controlplane.ControllerClient;
import io.agentvine.worker.controlplane.ControllerException;
import io.agentvine.worker.metrics.HostMetrics;
import io.agentvine.worker.metrics.WorkerMeters;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of {@code worker-heartbeat}: beats with the host's metrics and the runs held, applies the
 * command in the reply (pause, resume, drain) and registers again when the controller forgot this
 * worker. While the controller is unreachable a beat throws and the loop backs off; runs go on, their
 * leases live in Redis.
 */
final class Heartbeats {
    private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);

    private final ControllerClient controller;
    private final Registration registration;
    private final WorkerState state;
    private final HostMetrics metrics;
    private final String agent;
    private final WorkerMeters meters;
    private final Clock clock;

    Heartbeats(ControllerClient controller, Registration registration, WorkerState state, HostMetrics metrics, String agent,
               WorkerMeters meters, Clock clock) {
        this.meters = meters;
        this.controller = controller;
        this.registration = registration;
        this.state = state;
        this.metrics = metrics;
        this.agent = agent;
        this.clock = clock;
    }

    /** One turn of {@code worker-heartbeat}; returns the wait until the next. */
    Duration runOnce() {
        try {
            beatOnce();
            meters.heartbeat(true);
        } catch (ControllerException e) {
            meters.heartbeat(false);
            if (!e.workerGone() || state.stopping()) {
                throw e;
            }
            log.warn("the controller no longer knows this worker ({}); registering again", e.getMessage());
            registration.registerOnce();
        } catch (RuntimeException e) { // unreachable, timed out: the loop backs off
            meters.heartbeat(false);
            throw e;
        }
        return registration.heartbeatInterval();
    }

    /** Sends one heartbeat and applies the command in its reply. */
    HeartbeatReply beatOnce() {
        List<CurrentTask> current = state.active().stream().map(Heartbeats::current).toList();
        HeartbeatReply reply = controller.heartbeat(new Heartbeat(null, registration.workerId(), state.status(), current,
                metrics.sample(), clock.instant(), Map.of("agent", agent)));
        state.apply(reply.command());
        return reply;
    }

    private static CurrentTask current(ActiveRun r) {
        CurrentStep.At at = r.step.now();
        return new CurrentTask(r.claim.id(), r.claim.order().taskId(), r.claim.type(), r.startedAt, r.claim.attempt(),
                at == null ? null : at.step(), at == null ? null : at.since());
    }
}
