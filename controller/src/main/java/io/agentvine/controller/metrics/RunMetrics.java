package io.agentvine.controller.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * The meters of a task's runs, recorded where the lifecycle is applied. Every tag is bounded: task type,
 * queue level, outcome (a failure class, completed, released, recovered, cancelled), model tier and
 * model — never a worker, task or work-order id, so a fleet that grows or churns adds no series
 * ({@code MetricsCardinalityTest}). Durations are Prometheus histograms ({@code _bucket} series, for
 * {@code histogram_quantile}) between 100 ms and 4 h.
 */
@Singleton
public class RunMetrics {
    /** Names as Prometheus shows them (docs/architecture.md, "Metrics"; deploy/grafana/agentvine.json). */
    public static final String QUEUE_WAIT = "agentvine.queue.wait";
    public static final String RUN_TIME = "agentvine.run.time";
    public static final String CLONE_TIME = "agentvine.clone.time";
    public static final String AGENT_TIME = "agentvine.agent.time";
    public static final String RUNS_ENDED = "agentvine.runs.ended";
    public static final String TOKENS = "agentvine.tokens";
    public static final String COST = "agentvine.cost.usd";
    public static final String ANSWER_TIME = "agentvine.clarification.answer.time";

    private final MeterRegistry meters;

    public RunMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    private Timer timer(String name, String description, String... tags) {
        return Timer.builder(name).description(description).tags(tags).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(100)).maximumExpectedValue(Duration.ofHours(4)).register(meters);
    }

    /** A run started: how long its order waited in the queue (since it was created, or since its last run ended). */
    public void queueWait(String type, String level, Duration waited) {
        if (!waited.isNegative()) {
            timer(QUEUE_WAIT, "from queued to a worker's start", "type", type, "level", level).record(waited);
        }
    }

    /** A run ended with {@code outcome}, after {@code ran} (null when its start was never seen). */
    public void runEnded(String type, String outcome, Duration ran) {
        Counter.builder(RUNS_ENDED).description("runs ended, by outcome").tags("type", type, "outcome", outcome)
                .register(meters).increment();
        if (ran != null && !ran.isNegative()) {
            timer(RUN_TIME, "a run from its start to its end", "type", type, "outcome", outcome).record(ran);
        }
    }

    /** The phases of a completed run, as its worker measured them. */
    public void phases(String type, String modelTier, Duration clone, Duration agent) {
        if (clone != null) {
            timer(CLONE_TIME, "the clone (or the workspace from the repository cache)", "type", type).record(clone);
        }
        if (agent != null) {
            timer(AGENT_TIME, "the coding agent's run", "type", type, "model_tier", modelTier).record(agent);
        }
    }

    /** Tokens of one kind (input, output, cache_read, cache_creation). */
    public void tokens(String type, String model, String kind, long count) {
        if (count > 0) {
            Counter.builder(TOKENS).description("tokens used").tags("type", type, "model", model, "kind", kind)
                    .register(meters).increment(count);
        }
    }

    public void cost(String type, String model, double usd) {
        if (usd > 0) {
            Counter.builder(COST).description("cost in US dollars").tags("type", type, "model", model)
                    .register(meters).increment(usd);
        }
    }

    /** An operator answered (or decided) a clarification of {@code kind} after it waited {@code waited}. */
    public void answered(String kind, Duration waited) {
        if (!waited.isNegative()) {
            timer(ANSWER_TIME, "from a worker's question to the operator's answer", "kind", kind).record(waited);
        }
    }
}
