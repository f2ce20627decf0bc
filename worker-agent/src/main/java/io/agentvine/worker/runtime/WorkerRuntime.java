package io.agentvine.worker.runtime;

import io.agentvine.model.QueueOutcome;
import io.agentvine.loop.Backoff;
import io.agentvine.loop.Loop;
import io.agentvine.model.CurrentTask;
import io.agentvine.model.FailureReason;
import io.agentvine.model.Heartbeat;
import io.agentvine.model.HeartbeatReply;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.model.LifecycleEventType;
import io.agentvine.model.RegistrationReply;
import io.agentvine.model.TaskType;
import io.agentvine.model.WorkOrder;
import io.agentvine.model.WorkerRegistration;
import io.agentvine.model.WorkerStatus;
import io.agentvine.queue.Claim;
import io.agentvine.queue.Claimer;
import io.agentvine.queue.FailResult;
import io.agentvine.queue.LeaseStatus;
import io.agentvine.queue.LifecycleStream;
import io.agentvine.queue.QueueSettings;
import io.agentvine.queue.WorkQueue;
import io.agentvine.worker.agent.AgentAdapter;
import io.agentvine.worker.agent.output.AgentUsage;
import io.agentvine.worker.clarify.AskServer;
import io.agentvine.worker.clarify.ClarificationApprovals;
import io.agentvine.worker.clarify.ClarificationClient;
import io.agentvine.worker.config.WorkerConfig;
import io.agentvine.worker.controlplane.ControllerClient;
import io.agentvine.worker.controlplane.ControllerException;
import io.agentvine.worker.delivery.PullRequests;
import io.agentvine.worker.tasks.TaskProfiles;
import io.agentvine.worker.metrics.HostMetrics;
import io.agentvine.worker.workspace.WorkspaceManager;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's life: register → heartbeat → claim → execute → report, until stopped.
 *
 * <p>Threads, each named: {@code worker-heartbeat} (beats with OSHI metrics; pause, resume and drain
 * arrive in its replies; backs off while the controller is unreachable — runs go on, their leases
 * live in Redis), {@code worker-claim} (reserves a slot <em>before</em> blocking on the queue; claims
 * nothing while paused, draining, or below the memory or disk floor; a draining worker whose runs have
 * all ended is {@code drained} for good), {@code worker-lease} (extends
 * every held lease on its own Redis connection; a cancel stops the agent, a lost lease aborts the
 * run; it also stops agents silent for the stall time and sends usage as it grows), {@code worker-task-N}
 * (one per slot: the {@link RunPipeline} of a claimed order), {@code worker-clarifications} (reads
 * this worker's answers from the controller) and {@code worker-ask-N} (agents' open questions). The
 * first three are {@link Loop}s: whatever an iteration throws, an {@link Error} too, is logged and the
 * loop goes on after a backoff.
 *
 * <p>{@link #close()} is ordered and idempotent: stop claiming → let running tasks finish within the
 * grace period → stop the remaining agents' process trees and release their orders to the head of
 * their queues → stop lease extension and the question channel → deregister → stop heartbeats last.
 */
public final class WorkerRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerRuntime.class);
    private static final Duration CLAIM_WAIT = Duration.ofSeconds(2);
    /** How often the claim loop looks again while it may not claim (paused, draining, low on resources). */
    private static final Duration NOT_CLAIMING_WAIT = Duration.ofMillis(500);
    static final Duration EXTEND_EVERY = Duration.ofSeconds(2);
    static final Duration USAGE_EVERY = Duration.ofSeconds(10);
    /** A worker that starts before its controller (compose, a local fleet) should not wait half a minute once it is up. */
    static final Backoff REGISTER_BACKOFF = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(5));

    private final WorkerConfig config;
    private final ControllerClient controller;
    private final RedisClient redis;
    private final WorkspaceManager workspaces;
    private final AgentAdapter adapter;
    private final RunPipeline pipeline;
    private final PipelineEvents pipelineEvents = new PipelineEvents();
    private final ClarificationClient clarifications;
    private final AskServer asks;
    private volatile HostMetrics metrics;
    private final Clock clock;
    private final RandomGenerator random = RandomGenerator.getDefault();

    private volatile WorkQueue queue;
    private volatile WorkQueue leaseQueue;
    private final CompletableFuture<HostMetrics> metricsInit;
    private final CompletableFuture<StatefulRedisConnection<String, String>> streamInit;
    private volatile StatefulRedisConnection<String, String> streamConnection;
    private volatile LifecycleStream lifecycle;
    private final Semaphore slots;
    private final ExecutorService tasks;
    private final Map<String, ActiveRun> active = new ConcurrentHashMap<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger completed = new AtomicInteger();
    private final CompletableFuture<Void> drainedFuture = new CompletableFuture<>();
    private final RunLog runLog;

    private volatile String workerId;
    private volatile Duration heartbeatInterval;
    private volatile boolean paused;
    private volatile boolean draining;
    private volatile boolean drained;
    private volatile boolean stopping;
    private Claimer claimer;
    private ClaimSource claims;
    private Loop heartbeatLoop;
    private Loop claimLoop;
    private Loop leaseLoop;

    /** Where the claim loop takes its orders from: the queue's claimer (tests may wrap it). */
    @FunctionalInterface
    interface ClaimSource {
        Optional<Claim> claim(List<TaskType> types, Duration wait);
    }

    private UnaryOperator<ClaimSource> claimSourceWrapper = UnaryOperator.identity();

    public WorkerRuntime(WorkerConfig config, ControllerClient controller, RedisClient redis, WorkspaceManager workspaces,
                         AgentAdapter adapter, PullRequests pullRequests, Clock clock) {
        this(config, controller, redis, workspaces, adapter, pullRequests, null, Map.of(), clock);
    }

    /**
     * @param approvals how a human_required change gets its approval; null: over the clarification
     *                  channel, from an operator through the controller
     * @param testEnv   variables the test commands get besides PATH, HOME and the like (JAVA_HOME, …)
     */
    public WorkerRuntime(WorkerConfig config, ControllerClient controller, RedisClient redis, WorkspaceManager workspaces,
                         AgentAdapter adapter, PullRequests pullRequests, Approvals approvals, Map<String, String> testEnv, Clock clock) {
        this.config = config;
        this.controller = controller;
        this.redis = redis;
        this.workspaces = workspaces;
        this.adapter = adapter;
        this.clock = clock;
        this.runLog = new RunLog(clock);
        TaskProfiles profiles = TaskProfiles.load(config.agentSettings().templatesDir(), config.agentSettings().taskTypesFile());
        this.clarifications = new ClarificationClient(redis, config.queueNamespace(), () -> workerId, clock);
        this.asks = new AskServer(clarifications, config.logDir().resolve("bin"), clock);
        this.pipeline = new RunPipeline(config, workspaces, adapter, profiles, pullRequests,
                approvals != null ? approvals : new ClarificationApprovals(clarifications, clock), asks, testEnv, clock,
                pipelineEvents);
        // Both take a few hundred milliseconds cold (OSHI reads /proc, Netty loads); they run while the
        // worker registers, not before it.
        this.metricsInit = CompletableFuture.supplyAsync(() -> new HostMetrics(config.workspaceDir(), clock),
                r -> thread("worker-init-metrics", r));
        this.streamInit = CompletableFuture.supplyAsync(() -> redis.connect(StringCodec.UTF8),
                r -> thread("worker-init-redis", r));
        this.slots = new Semaphore(config.maxConcurrentTasks());
        AtomicInteger n = new AtomicInteger();
        this.tasks = Executors.newFixedThreadPool(config.maxConcurrentTasks(), r -> {
            Thread t = new Thread(r, "worker-task-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Registers (retrying while the controller is unreachable) and starts the threads. */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        Duration lease = register();
        metrics = metricsInit.join();
        streamConnection = streamInit.join();
        lifecycle = new LifecycleStream(streamConnection, config.queueNamespace());
        // The lease the controller hands out is the one its sweeper enforces: use it for every claim.
        QueueSettings qs = QueueSettings.defaults().withNamespace(config.queueNamespace()).withLease(lease);
        queue = new WorkQueue(redis, qs, clock);
        leaseQueue = new WorkQueue(redis, qs, clock);
        claimer = queue.newClaimer(workerId);
        claims = claimSourceWrapper.apply(claimer::claim);
        clarifications.start();
        asks.start();
        heartbeatLoop = new Loop("worker-heartbeat", Backoff.DEFAULT, this::heartbeatIteration).start(heartbeatInterval);
        Duration third = lease.dividedBy(3);
        Duration every = third.compareTo(EXTEND_EVERY) < 0 ? third : EXTEND_EVERY;
        // Failed extensions are retried well within the lease: backing off longer would lose it.
        leaseLoop = new Loop("worker-lease", new Backoff(every.dividedBy(4), every), () -> leaseIteration(every)).start(every);
        claimLoop = new Loop("worker-claim", Backoff.DEFAULT, this::claimIteration).start();
    }

    /** For tests: wraps the claim source before {@link #start()} (to inject a failure into a claim iteration). */
    WorkerRuntime claimingThrough(UnaryOperator<ClaimSource> wrapper) {
        this.claimSourceWrapper = wrapper;
        return this;
    }

    private Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Registers (retrying while the controller is unreachable); returns the lease the controller prescribes. */
    private Duration register() {
        WorkerRegistration reg = new WorkerRegistration(null, config.name(), config.workerTypes(), version(),
                config.maxConcurrentTasks(), List.of(), List.of("git"), Map.of("agent", config.agent()));
        for (int failures = 1; ; failures++) {
            try {
                RegistrationReply reply = controller.register(reg);
                workerId = reply.workerId();
                heartbeatInterval = config.heartbeatInterval().orElse(Duration.ofSeconds(reply.heartbeatIntervalSeconds()));
                log.info("registered as {} for {} ({} slots)", workerId, config.workerTypes(), config.maxConcurrentTasks());
                return Duration.ofSeconds(reply.leaseSeconds());
            } catch (ControllerException refused) {
                throw refused; // a configuration problem (key, types): retrying will not help
            } catch (RuntimeException unreachable) {
                if (stopping) {
                    throw unreachable;
                }
                Duration d = REGISTER_BACKOFF.delay(failures, random);
                log.warn("controller unreachable at registration ({}); retrying in {}", unreachable.getMessage(), d);
                sleep(d);
            }
        }
    }

    private static String version() {
        String v = WorkerRuntime.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    public String workerId() {
        return workerId;
    }

    public WorkerStatus status() {
        if (stopping) {
            return WorkerStatus.STOPPING;
        }
        if (drained) {
            return WorkerStatus.DRAINED;
        }
        if (draining) {
            return WorkerStatus.DRAINING;
        }
        if (paused) {
            return WorkerStatus.PAUSED;
        }
        return active.isEmpty() ? WorkerStatus.IDLE : WorkerStatus.BUSY;
    }

    public int completedCount() {
        return completed.get();
    }

    /** Completes once this worker is drained: told to drain, and every run it held has ended. */
    public CompletableFuture<Void> drained() {
        return drainedFuture;
    }

    // ---- heartbeats ---------------------------------------------------------------------------

    /** One turn of {@code worker-heartbeat}: a failure is logged by the loop, which backs off. */
    private Duration heartbeatIteration() {
        try {
            heartbeatOnce();
        } catch (ControllerException e) {
            if (!e.workerGone() || stopping) {
                throw e;
            }
            log.warn("the controller no longer knows this worker ({}); registering again", e.getMessage());
            register();
        }
        return heartbeatInterval;
    }

    /** Sends one heartbeat and applies the command in its reply. */
    public HeartbeatReply heartbeatOnce() {
        List<CurrentTask> current = active.values().stream().map(r -> new CurrentTask(r.claim.id(), r.claim.order().taskId(),
                r.claim.type(), r.startedAt, r.claim.attempt())).toList();
        HeartbeatReply reply = controller.heartbeat(new Heartbeat(null, workerId, status(), current, metrics.sample(),
                clock.instant(), Map.of("agent", config.agent())));
        switch (reply.command()) {
            case PAUSE -> paused = true;
            case RESUME -> paused = false;
            case DRAIN -> draining = true;
            default -> { }
        }
        return reply;
    }

    // ---- claiming -----------------------------------------------------------------------------

    /** One turn of {@code worker-claim}: at most one order claimed and handed to a task thread. */
    private Duration claimIteration() throws InterruptedException {
        if (stopping) {
            return NOT_CLAIMING_WAIT;
        }
        if (draining) {
            markDrainedOnceIdle();
            return NOT_CLAIMING_WAIT;
        }
        if (paused || lowOnResources()) {
            return NOT_CLAIMING_WAIT;
        }
        if (!slots.tryAcquire(1, TimeUnit.SECONDS)) {
            return Duration.ZERO; // every slot busy
        }
        Optional<Claim> claim = Optional.empty();
        try {
            claim = claims.claim(config.workerTypes(), CLAIM_WAIT);
        } catch (RuntimeException e) {
            if (stopping) {
                return NOT_CLAIMING_WAIT; // the claimer was closed under the claim
            }
            throw e;
        } finally {
            if (claim.isEmpty()) {
                slots.release(); // nothing claimed, or the claim failed (an Error too)
            }
        }
        claim.ifPresent(this::begin);
        return Duration.ZERO;
    }

    /**
     * Only the claim loop claims, and it no longer does once draining: so a draining worker whose runs
     * have all ended holds nothing and never will again.
     */
    private void markDrainedOnceIdle() {
        if (!drained && active.isEmpty()) {
            drained = true;
            log.info("drained: every run this worker held has ended; it claims nothing more and waits to be stopped");
            drainedFuture.complete(null);
        }
    }

    /** Hands a claimed order to a task thread; the slot is released when its run ends. */
    private void begin(Claim c) {
        ActiveRun run = new ActiveRun(c, clock.instant());
        active.put(c.id(), run);
        runLog.claimed(c);
        if (stopping) {
            run.stop(ActiveRun.Stop.RELEASED); // claimed while stopping: hand it straight back
        }
        try {
            tasks.execute(() -> {
                try {
                    execute(run);
                } catch (Throwable t) {
                    log.error("run of {} failed unexpectedly", c.id(), t);
                } finally {
                    active.remove(c.id());
                    pipelineEvents.forget(c.id());
                    slots.release();
                }
            });
        } catch (RuntimeException | Error notStarted) {
            active.remove(c.id());
            slots.release();
            try {
                queue.release(c); // back at the head of its queue for another worker
            } catch (RuntimeException e) {
                notStarted.addSuppressed(e);
            }
            throw notStarted;
        }
    }

    private boolean lowOnResources() {
        long mem = metrics.freeMemoryMb();
        long disk = metrics.freeDiskMb();
        if (mem < config.minFreeMemoryMb() || disk < config.minFreeDiskMb()) {
            log.warn("not claiming: {} MB memory and {} MB disk free (floors {} / {})", mem, disk,
                    config.minFreeMemoryMb(), config.minFreeDiskMb());
            return true;
        }
        return false;
    }

    // ---- leases -------------------------------------------------------------------------------

    /**
     * One turn of {@code worker-lease}, every lease/3 and at most every {@link #EXTEND_EVERY}: an
     * extension is also how a cancel reaches the agent, so it runs often (one Redis call per running
     * task). The runs are watched even when the extension failed.
     */
    private Duration leaseIteration(Duration every) {
        RuntimeException extendFailed = null;
        try {
            extendOnce();
        } catch (RuntimeException e) {
            extendFailed = e;
        }
        watchOnce();
        if (extendFailed != null) {
            throw extendFailed;
        }
        return every;
    }

    /** Extends every held lease once; stops runs whose order was cancelled or taken away. */
    public void extendOnce() {
        for (ActiveRun run : active.values()) {
            LeaseStatus s = leaseQueue.extend(run.claim);
            if (s.cancelRequested()) {
                log.info("cancel requested for {}: stopping its agent", run.claim.id());
                run.stop(ActiveRun.Stop.CANCELLED);
            } else if (s.lost()) {
                log.warn("lease of {} lost (recovered by the queue): aborting the run", run.claim.id());
                run.stop(ActiveRun.Stop.LOST_LEASE);
            }
        }
    }

    /**
     * Stops agents that have been silent for the stall time, and sends each run's usage since its last
     * usage event, at most every {@link #USAGE_EVERY}, so that cost shows while a run is still going.
     */
    public void watchOnce() {
        Instant now = clock.instant();
        for (ActiveRun run : active.values()) {
            RunWatch w = run.watch;
            if (w == null) {
                continue;
            }
            if (run.agentRunning && run.openQuestions.get() == 0) {
                w.checkStall(now);
            }
            if (run.lastUsageEvent == null || !now.isBefore(run.lastUsageEvent.plus(USAGE_EVERY))) {
                run.lastUsageEvent = now;
                AgentUsage delta = w.takeDelta();
                if (delta.tokens().total() > 0 || delta.costUsd() != null) {
                    publish(event(run.claim, LifecycleEventType.TOKEN_USAGE).tokenUsage(delta.tokens()).costUsd(delta.costUsd())
                            .model(run.claim.order().model()).build());
                }
            }
        }
    }

    // ---- one run ------------------------------------------------------------------------------

    private void execute(ActiveRun run) {
        Claim claim = run.claim;
        WorkOrder order = claim.order();
        Path logFile = config.logDir().resolve(order.taskId() + ".log").toAbsolutePath();
        publish(event(claim, LifecycleEventType.STARTED).model(order.model())
                .claimedAt(run.startedAt).logLocation("worker " + workerId + ": " + logFile)
                .metadata(Map.of("agent", adapter.name())).build());
        RunResult result = run.stopped() != ActiveRun.Stop.NONE
                ? RunResult.failed(FailureReason.CANCELLED, "stopped before it started")
                : pipeline.run(run, workerId, logFile);
        report(run, result);
    }

    /** Progress lines (sampled: every line is in the log file, a chatty agent must not flood Redis) and approvals. */
    private final class PipelineEvents implements RunPipeline.Events {
        private final Map<String, AtomicInteger> lines = new ConcurrentHashMap<>();

        @Override
        public void progress(ActiveRun run, String message) {
            int i = lines.computeIfAbsent(run.claim.id(), k -> new AtomicInteger()).incrementAndGet();
            if (i <= 20 || i % 100 == 0) {
                publish(event(run.claim, LifecycleEventType.PROGRESS)
                        .message(message.length() > 2000 ? message.substring(0, 2000) : message).build());
            }
        }

        @Override
        public void awaitingApproval(ActiveRun run, String diffSummary, List<String> changedFiles, Instant expiresAt) {
            publish(event(run.claim, LifecycleEventType.AWAITING_APPROVAL)
                    .message("committed locally; waiting for an operator to approve the push (" + changedFiles.size() + " file(s))")
                    .metadata(Map.of("diff_summary", diffSummary, "changed_files", changedFiles, "expires_at", expiresAt.toString()))
                    .build());
        }

        void forget(String workOrderId) {
            lines.remove(workOrderId);
        }
    }

    private void report(ActiveRun run, RunResult r) {
        Claim claim = run.claim;
        if (r.completed()) {
            if (queue.ack(claim)) {
                completed.incrementAndGet();
                runLog.ended(run, "completed", null, null);
                publish(withUsage(run, event(claim, LifecycleEventType.COMPLETED).result(r.result())).build());
            } else {
                String lost = "finished, but the order had been recovered from this worker";
                runLog.ended(run, "lost", FailureReason.LOST_LEASE, lost);
                publish(withUsage(run, event(claim, LifecycleEventType.FAILED)).outcome(FailureReason.LOST_LEASE)
                        .message(lost).queueOutcome(QueueOutcome.LOST).build());
            }
            return;
        }
        if (r.reason() == FailureReason.WORKER_LOST && run.stopped() == ActiveRun.Stop.RELEASED) {
            boolean released = queue.release(claim);
            runLog.ended(run, released ? "released" : "lost", r.reason(), r.message());
            publish(withUsage(run, event(claim, LifecycleEventType.RELEASED)).message(released ? "back at the head of its queue"
                    : "not released: the order had been recovered").build());
            return;
        }
        if (r.reason() == FailureReason.LOST_LEASE) {
            runLog.ended(run, "lost", r.reason(), r.message());
            publish(withUsage(run, event(claim, LifecycleEventType.FAILED)).outcome(FailureReason.LOST_LEASE).message(r.message())
                    .result(r.result()).queueOutcome(QueueOutcome.LOST).build());
            return;
        }
        FailResult.Disposition d = r.reason() == FailureReason.INVALID_PAYLOAD ? FailResult.Disposition.DEAD_LETTER // never usable
                : r.reason().retryable() ? FailResult.Disposition.RETRY : FailResult.Disposition.FAIL;
        FailResult f = queue.fail(claim, r.reason().wireName() + ": " + r.message(), d);
        runLog.ended(run, f.outcome().name().toLowerCase(java.util.Locale.ROOT), r.reason(), r.message());
        LifecycleEventType type = f.outcome() == QueueOutcome.CANCELLED ? LifecycleEventType.CANCELLED : LifecycleEventType.FAILED;
        publish(withUsage(run, event(claim, type)).outcome(r.reason()).message(r.message()).result(r.result())
                .queueOutcome(f.outcome()).build());
    }

    /** Adds the usage not yet reported to an attempt's last event (the controller sums the increments). */
    private LifecycleEvent.Builder withUsage(ActiveRun run, LifecycleEvent.Builder b) {
        RunWatch w = run.watch;
        if (w != null) {
            AgentUsage delta = w.takeDelta();
            if (delta.tokens().total() > 0 || delta.costUsd() != null) {
                b.tokenUsage(delta.tokens()).costUsd(delta.costUsd());
            }
        }
        return b;
    }

    private LifecycleEvent.Builder event(Claim claim, LifecycleEventType type) {
        return LifecycleEvent.builder(UUID.randomUUID().toString(), type, claim.id(), workerId, claim.attempt(), clock.instant())
                .taskId(claim.order().taskId()).taskType(claim.type());
    }

    private void publish(LifecycleEvent e) {
        try {
            lifecycle.publish(e);
        } catch (RuntimeException ex) {
            log.warn("cannot publish {} of {}: {}", e.type().wireName(), e.workOrderId(), ex.getMessage());
        }
    }

    // ---- shutdown -----------------------------------------------------------------------------

    /** Ordered, idempotent shutdown (see the class comment). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopping = true;
        log.info("stopping: no new claims; {} running task(s) get {}", active.size(), config.shutdownGrace());
        if (claimer != null) {
            claimer.close();
        }
        close(claimLoop);
        tasks.shutdown();
        try {
            if (!tasks.awaitTermination(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                active.values().forEach(r -> r.stop(ActiveRun.Stop.RELEASED));
                tasks.awaitTermination(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pipeline.close(); // network steps the runs gave up on (a silent server) end within the git timeout
        close(leaseLoop);
        asks.close();
        clarifications.close();
        if (workerId != null) {
            try {
                controller.deregister(workerId);
            } catch (RuntimeException e) {
                log.warn("deregistration failed ({}); the controller will mark this worker stale", e.getMessage());
            }
        }
        close(heartbeatLoop);
        if (queue != null) {
            queue.close();
            leaseQueue.close();
        }
        streamInit.thenAccept(StatefulRedisConnection::close); // also when start() never ran
        log.info("stopped");
    }

    private static void close(Loop loop) {
        if (loop != null) {
            loop.close();
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
