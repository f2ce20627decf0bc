package io.agentvine.worker.runtime;

import io.agentvine.loop.Backoff;
import io.agentvine.loop.Loop;
import io.agentvine.model.RegistrationReply;
import io.agentvine.model.WorkerRegistration;
import io.agentvine.worker.config.WorkerConfig;
import io.agentvine.worker.controlplane.ControllerClient;
import io.agentvine.worker.controlplane.ControllerException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This worker's standing with the controller: registers (on the loop {@code worker-register}, retried
 * with a short backoff while the controller is unreachable: a worker that starts before its controller
 * should not wait half a minute once it is up), registers again when the controller forgot it, and
 * deregisters. It holds what the registration reply prescribes: the worker id, the heartbeat interval
 * and the lease the controller's sweeper enforces.
 */
public final class Registration implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Registration.class);
    static final Backoff BACKOFF = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(5));

    private final WorkerConfig config;
    private final ControllerClient controller;
    private final CompletableFuture<Duration> registered = new CompletableFuture<>();
    private final Loop loop = new Loop("worker-register", BACKOFF, this::attempt);
    private volatile String workerId;
    private volatile Duration heartbeatInterval;

    public Registration(WorkerConfig config, ControllerClient controller) {
        this.config = config;
        this.controller = controller;
    }

    /**
     * Registers, retrying while the controller is unreachable; returns the lease the controller
     * prescribes. A refusal (key, types) is a configuration problem and is thrown at once, as is
     * {@link #close()} meanwhile.
     */
    Duration register() {
        loop.start();
        try {
            return registered.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        } finally {
            loop.close();
        }
    }

    /** One turn of {@code worker-register}: an unreachable controller throws, and the loop backs off. */
    private Duration attempt() {
        if (registered.isDone()) {
            return Duration.ZERO;
        }
        try {
            registered.complete(registerOnce());
        } catch (ControllerException refused) {
            registered.completeExceptionally(refused); // retrying will not help
        }
        loop.close(); // from its own thread: ends after this turn
        return Duration.ZERO;
    }

    /** One registration (also after the controller forgot this worker); returns the lease. */
    Duration registerOnce() {
        WorkerRegistration reg = new WorkerRegistration(null, config.name(), config.workerTypes(), version(),
                config.maxConcurrentTasks(), List.of(), List.of("git"), Map.of("agent", config.agent()));
        RegistrationReply reply = controller.register(reg);
        workerId = reply.workerId();
        heartbeatInterval = config.heartbeatInterval().orElse(Duration.ofSeconds(reply.heartbeatIntervalSeconds()));
        log.info("registered as {} for {} ({} slots)", workerId, config.workerTypes(), config.maxConcurrentTasks());
        return Duration.ofSeconds(reply.leaseSeconds());
    }

    String workerId() {
        return workerId;
    }

    Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /** Tells the controller this worker leaves; a failure only means it will be marked stale. */
    void deregister() {
        if (workerId == null) {
            return;
        }
        try {
            controller.deregister(workerId);
        } catch (RuntimeException e) {
            log.warn("deregistration failed ({}); the controller will mark this worker stale", e.getMessage());
        }
    }

    /** Ends a registration still retrying: {@link #register()} then throws. */
    @Override
    public void close() {
        registered.completeExceptionally(new CancellationException("stopped before the worker registered"));
        loop.close();
    }

    private static String version() {
        String v = Registration.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
