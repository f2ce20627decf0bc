package io.agentvine.worker.metrics;

import io.agentvine.model.TokenUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * This worker's own meters, for its {@code /metrics} ({@link MetricsEndpoint}). Every tag is bounded:
 * task type, outcome (completed, released, or a failure reason class), model tier, model, token kind —
 * never a worker, task or work-order id: which worker it is belongs in Prometheus' target labels (the
 * scraped address, the pod). Durations are Prometheus histograms between 100 ms and 4 h, as the
 * controller's. Names start with {@code agentvine_worker_}, so a Prometheus that scrapes the
 * controller and the workers never adds the same run up twice.
 *
 * <p>With the endpoint off the meters go to a registry that keeps nothing ({@link #off()}).
 */
public final class WorkerMeters {
    public static final String RUNS_ENDED = "agentvine.worker.runs.ended";
    public static final String RUNS_IN_FLIGHT = "agentvine.worker.runs.in.flight";
    public static final String RUN_TIME = "agentvine.worker.run.time";
    public static final String CLONE_TIME = "agentvine.worker.clone.time";
    public static final String AGENT_TIME = "agentvine.worker.agent.time";
    public static final String TEST_TIME = "agentvine.worker.test.time";
    public static final String TOKENS = "agentvine.worker.tokens";
    public static final String COST = "agentvine.worker.cost.usd";
    public static final String HEARTBEATS = "agentvine.worker.heartbeats";

    private final MeterRegistry registry;

    private WorkerMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Records into {@code registry}, with the JVM's memory, threads, CPU and uptime beside. */
    public static WorkerMeters into(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return new WorkerMeters(registry);
    }

    /** Meters that keep nothing: the endpoint is off. */
    public static WorkerMeters off() {
        return new WorkerMeters(new CompositeMeterRegistry()); // a composite with no registry records nothing
    }

    private Timer timer(String name, String description, String... tags) {
        return Timer.builder(name).description(description).tags(tags).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(100)).maximumExpectedValue(Duration.ofHours(4)).register(registry);
    }

    /** The runs this worker holds now, read at each scrape. */
    public void inFlight(Supplier<Number> runs) {
        Gauge.builder(RUNS_IN_FLIGHT, runs).description("runs this worker holds now").strongReference(true).register(registry);
    }

    /** A run ended with {@code outcome} after {@code ran} (from its claim to its report). */
    public void runEnded(String type, String outcome, Duration ran) {
        Counter.builder(RUNS_ENDED).description("runs ended on this worker, by outcome").tags("type", type, "outcome", outcome)
                .register(registry).increment();
        if (!ran.isNegative()) {
            timer(RUN_TIME, "a run from its claim to its report", "type", type, "outcome", outcome).record(ran);
        }
    }

    /** The clone (or the workspace from the repository cache). */
    public void cloned(String type, Duration took) {
        timer(CLONE_TIME, "the clone (or the workspace from the repository cache)", "type", type).record(took);
    }

    /** The coding agent's run. */
    public void agentRan(String type, String modelTier, Duration took) {
        timer(AGENT_TIME, "the coding agent's run", "type", type, "model_tier", modelTier).record(took);
    }

    /** The acceptance tests, passed or failed. */
    public void tested(String type, boolean passed, Duration took) {
        timer(TEST_TIME, "the acceptance tests", "type", type, "outcome", passed ? "passed" : "failed").record(took);
    }

    /** A run's usage: tokens by kind, and the cost when known. */
    public void usage(String type, String model, TokenUsage tokens, Double costUsd) {
        tokens(type, model, "input", tokens.inputTokens());
        tokens(type, model, "output", tokens.outputTokens());
        tokens(type, model, "cache_read", tokens.cacheReadTokens());
        tokens(type, model, "cache_creation", tokens.cacheCreationTokens());
        if (costUsd != null && costUsd > 0) {
            Counter.builder(COST).description("cost in US dollars").tags("type", type, "model", model).register(registry)
                    .increment(costUsd);
        }
    }

    private void tokens(String type, String model, String kind, long count) {
        if (count > 0) {
            Counter.builder(TOKENS).description("tokens used").tags("type", type, "model", model, "kind", kind).register(registry)
                    .increment(count);
        }
    }

    /** A heartbeat the controller took ({@code sent}) or that failed. */
    public void heartbeat(boolean sent) {
        Counter.builder(HEARTBEATS).description("heartbeats to the controller, by outcome").tag("outcome", sent ? "sent" : "failed")
                .register(registry).increment();
    }
}
