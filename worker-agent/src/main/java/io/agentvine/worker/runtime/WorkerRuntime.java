package io.agentvine.worker.runtime;

import io.agentvine.loop.Backoff;
import io.agentvine.loop.Loop;
import io.agentvine.model.WorkerStatus;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's life: register → heartbeat → claim → run → report, until stopped. It owns the order of
 * things, not the work: {@link Registration} registers; once registered the {@link Session} brings
 * {@link Heartbeats}, the {@link ClaimLoop}, the {@link LeaseKeeper} and the {@link RunSlots} (each run
 * reported by the {@link RunReporter}); {@link WorkerAssembly} builds them all.
 *
 * <p>Threads, each named: the loops {@code worker-heartbeat}, {@code worker-claim} and
 * {@code worker-lease} ({@link Loop}s: whatever an iteration throws, an {@link Error} too, is logged and
 * the loop goes on after a backoff), {@code worker-task-N} (one per slot), {@code worker-clarifications}
 * and {@code worker-ask-N} (agents' open questions), and {@code worker-metrics} when the worker's own
 * {@code /metrics} is on (it answers from before registration until the very end).
 *
 * <p>{@link #close()} is ordered and idempotent: stop claiming → let running tasks finish within the
 * grace period → stop the remaining agents' process trees and release their orders to the head of
 * their queues → stop lease extension and the question channel → deregister → stop heartbeats last.
 */
public final class WorkerRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerRuntime.class);

    private final WorkerState state;
    private final Registration registration;
    private final Session.Factory sessions;
    private final WorkerServices services;
    private final Duration shutdownGrace;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Session session;
    private Loop heartbeatLoop;
    private Loop claimLoop;
    private Loop leaseLoop;

    WorkerRuntime(WorkerState state, Registration registration, Session.Factory sessions, WorkerServices services,
                  Duration shutdownGrace) {
        this.state = state;
        this.registration = registration;
        this.sessions = sessions;
        this.services = services;
        this.shutdownGrace = shutdownGrace;
    }

    /** Registers (retrying while the controller is unreachable) and starts the threads. */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        services.startMetrics();
        Duration lease = registration.register();
        Session s = sessions.open(lease);
        session = s;
        services.start();
        heartbeatLoop = new Loop("worker-heartbeat", Backoff.DEFAULT, s.heartbeats()::runOnce).start(registration.heartbeatInterval());
        Duration every = s.leases().every();
        leaseLoop = new Loop("worker-lease", new Backoff(every.dividedBy(4), every), s.leases()::runOnce).start(every);
        claimLoop = new Loop("worker-claim", Backoff.DEFAULT, s.claims()::claimOnce).start();
    }

    public String workerId() {
        return registration.workerId();
    }

    public WorkerStatus status() {
        return state.status();
    }

    /** How many runs this worker holds now. */
    public int runningCount() {
        return state.active().size();
    }

    public int completedCount() {
        return state.completedCount();
    }

    /** Completes once this worker is drained: told to drain, and every run it held has ended. */
    public CompletableFuture<Void> drained() {
        return state.drained();
    }

    /** Ordered, idempotent shutdown (see the class comment). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        state.stop();
        registration.close(); // a registration still retrying gives up
        log.info("stopping: no new claims; {} running task(s) get {}", state.active().size(), shutdownGrace);
        Session s = session;
        if (s != null) {
            s.claimer().close();
            close(claimLoop);
            s.slots().shutdown(shutdownGrace);
        }
        services.closeAfterRuns();
        close(leaseLoop);
        services.closeChannels();
        registration.deregister();
        close(heartbeatLoop);
        sessions.close();
        services.closeMetrics();
        log.info("stopped");
    }

    private static void close(Loop loop) {
        if (loop != null) {
            loop.close();
        }
    }
}
