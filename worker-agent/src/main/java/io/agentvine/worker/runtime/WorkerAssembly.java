package io.agentvine.worker.runtime;

import io.agentvine.queue.Claimer;
import io.agentvine.queue.LifecycleStream;
import io.agentvine.queue.QueueSettings;
import io.agentvine.queue.WorkQueue;
import io.agentvine.worker.clarify.Approvals;
import io.agentvine.worker.clarify.AskServer;
import io.agentvine.worker.clarify.ClarificationApprovals;
import io.agentvine.worker.clarify.ClarificationClient;
import io.agentvine.worker.config.WorkerConfig;
import io.agentvine.worker.livelog.LogShipper;
import io.agentvine.worker.metrics.HostMetrics;
import io.agentvine.worker.metrics.MetricsEndpoint;
import io.agentvine.worker.metrics.MetricsSettings;
import io.agentvine.worker.metrics.WorkerMeters;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.agentvine.worker.tasks.TaskProfiles;
import io.agentvine.queue.redis.RedisLink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * Builds a worker from its {@link WorkerDependencies} and wires its parts: what exists from the start
 * (state, registration, the pipeline and the question channel) at once, the rest (queue connections,
 * heartbeats, claim loop, lease keeper, slots, reporter) as the {@link Session} the runtime opens once
 * registered. The host metrics and the lifecycle stream's connection take a few hundred milliseconds
 * cold (OSHI reads /proc, Netty loads): they are made while the worker registers, not before.
 */
public final class WorkerAssembly implements Session.Factory {
    private final WorkerDependencies deps;
    private final WorkerConfig config;
    private final WorkerState state = new WorkerState();
    private final Registration registration;
    private final RunLog runLog;
    private final WorkerMeters meters;
    private final WorkerServices services;
    private final UnaryOperator<ClaimLoop.ClaimSource> claimSources;
    private final CompletableFuture<HostMetrics> metrics;
    private final CompletableFuture<RedisLink> streamConnection;
    private final List<WorkQueue> opened = new ArrayList<>();

    private WorkerAssembly(WorkerDependencies deps, UnaryOperator<ClaimLoop.ClaimSource> claimSources) {
        this.deps = deps;
        this.config = deps.config();
        this.claimSources = claimSources;
        this.registration = new Registration(config, deps.controller());
        this.runLog = new RunLog(deps.clock());
        // Loads the templates and custom task types: an unusable file is reported here.
        TaskProfiles profiles = TaskProfiles.load(config.agentSettings().templatesDir(), config.agentSettings().taskTypesFile());
        ClarificationClient clarifications = new ClarificationClient(deps.redis(), config.queueNamespace(), registration::workerId,
                deps.clock());
        AskServer asks = new AskServer(clarifications, config.logDir().resolve("bin"), deps.clock());
        Approvals approvals = deps.approvals() != null ? deps.approvals() : new ClarificationApprovals(clarifications, deps.clock());
        RunPipeline pipeline = new RunPipeline(new RunPipeline.Parts(config, deps.workspaces(), deps.adapter(), profiles,
                deps.pullRequests(), approvals, asks, deps.testEnv(),
                new SessionKeeper(deps.controller(), deps.adapter(), System.getenv())), deps.clock());
        MetricsSettings metricsSettings = config.metrics();
        PrometheusMeterRegistry prometheus = metricsSettings.enabled() ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : null;
        this.meters = prometheus == null ? WorkerMeters.off() : WorkerMeters.into(prometheus);
        meters.inFlight(() -> state.active().size());
        // Binds the port now: one in use stops the worker before it registers, with a message naming the variable.
        MetricsEndpoint endpoint = prometheus == null ? null : MetricsEndpoint.bind(metricsSettings, prometheus);
        this.services = new WorkerServices(pipeline, new LogShipper(deps.redis(), config.queueNamespace(), config.liveLog(), deps.clock()),
                asks, clarifications, endpoint);
        this.metrics = CompletableFuture.supplyAsync(() -> new HostMetrics(config.workspaceDir(), deps.clock()),
                r -> thread("worker-init-metrics", r));
        this.streamConnection = CompletableFuture.supplyAsync(() -> deps.redis().connect(),
                r -> thread("worker-init-redis", r));
    }

    /** A worker built from {@code deps}, not yet started. */
    public static WorkerRuntime build(WorkerDependencies deps) {
        return build(deps, UnaryOperator.identity());
    }

    /** For tests: the claim loop's claims go through {@code claimSources} (to inject a failure into a claim). */
    static WorkerRuntime build(WorkerDependencies deps, UnaryOperator<ClaimLoop.ClaimSource> claimSources) {
        WorkerAssembly a = new WorkerAssembly(deps, claimSources);
        return new WorkerRuntime(a.state, a.registration, a, a.services, a.config.shutdownGrace());
    }

    @Override
    public synchronized Session open(Duration lease) {
        if (config.once().enabled()) {
            state.runOnce(new OnceMode(deps.clock(), config.once().idleExit()));
        }
        HostMetrics host = metrics.join();
        LifecycleStream stream = new LifecycleStream(streamConnection.join(), config.queueNamespace());
        // The lease the controller hands out is the one its sweeper enforces: use it for every claim.
        QueueSettings qs = QueueSettings.defaults().withNamespace(config.queueNamespace()).withLease(lease);
        WorkQueue queue = track(new WorkQueue(deps.redis(), qs, deps.clock()));
        WorkQueue leaseQueue = track(new WorkQueue(deps.redis(), qs, deps.clock())); // extensions never wait behind a run's report
        Claimer claimer = queue.newClaimer(registration.workerId());
        RunEvents events = new RunEvents(stream, registration::workerId, deps.clock());
        ClaimGate gate = new ClaimGate(state, host, config.minFreeMemoryMb(), config.minFreeDiskMb(),
                config.workerTypes().size());
        OrderRunner runner = new OrderRunner(services.pipeline(), events, registration::workerId, config.logDir(), deps.adapter().name(),
                services.liveLogs(), deps.clock());
        RunSlots slots = new RunSlots(config.maxConcurrentTasks(), state,
                new RunSlots.Parts(runner, new RunReporter(queue, events, runLog, new RunMeters(meters, deps.clock()), state), gate, queue,
                        runLog), deps.clock());
        return new Session(new Heartbeats(deps.controller(), registration, state, host, config.agent(), meters, deps.clock()),
                new ClaimLoop(config.workerTypes(), claimSources.apply(claimer::claim), state, gate, slots), claimer,
                new LeaseKeeper(leaseQueue, state, events, deps.clock()), slots);
    }

    private WorkQueue track(WorkQueue q) {
        opened.add(q);
        return q;
    }

    /** Closes the queue connections, and the stream's connection also when no session was opened. */
    @Override
    public synchronized void close() {
        opened.forEach(WorkQueue::close);
        opened.clear();
        streamConnection.thenAccept(RedisLink::close);
    }

    private static Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
