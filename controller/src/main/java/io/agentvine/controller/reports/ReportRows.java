package io.agentvine.controller.reports;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The rows of the reports (JSON in snake case; a figure that cannot be computed, such as a rate over
 * nothing, is {@code null}, never left out). A <em>run</em> is one row of the attempt history: a worker
 * running one attempt of a task; a recovered or released run is followed by another run of the same
 * attempt. Tokens count input, output, cache-read and cache-creation tokens.
 */
public final class ReportRows {
    private ReportRows() {
    }

    /**
     * The FORGE worker-efficiency figures of one worker. {@code efficiency_score} is tokens per dollar
     * (null when the worker cost nothing); {@code tier} the model tier most of its runs' tasks asked for;
     * {@code tasks_completed} and {@code tasks_failed} count its runs that completed and that failed (a
     * released, recovered or cancelled run is neither); {@code success_rate} is completed / (completed + failed).
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record WorkerEfficiency(String workerId, long callCount, double totalCostUsd, long totalTokens,
                                   double avgCostPerCall, double avgTokensPerCall, Double efficiencyScore,
                                   Instant lastActive, String tier, long tasksCompleted, long tasksFailed,
                                   Double successRate) {
    }

    /**
     * The FORGE model-performance figures of one model (the run's model, else its task's):
     * {@code avg_latency_ms} is the mean agent run time of its ended runs, {@code cache_hit_rate}
     * cache-read tokens / input tokens, {@code success_rate} over its runs as for workers, and
     * {@code cost_per_completed_task} its whole cost over its completed runs.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ModelPerformance(String model, long callCount, long totalTokens, double totalCostUsd,
                                   @JsonProperty("avg_cost_per_1k_tokens") Double avgCostPer1kTokens,
                                   Double avgLatencyMs, Double cacheHitRate, long tasksCompleted, long tasksFailed,
                                   Double successRate, Double costPerCompletedTask) {
    }

    /** How often a failure class (the run's outcome: tests_failed, agent_error, …) ended a run. */
    public record FailureCount(String reason, long count) {
    }

    /**
     * The figures of one task type or one repository (whichever the report groups by; the other is
     * absent). {@code tasks} are the tasks whose first run is in the window; completed and failed (failed or
     * dead) by their state now; {@code success_rate} completed / (completed + failed);
     * {@code cost_per_completed_task} the cost of all the window's runs over the completed tasks.
     * {@code queue_wait_*}: from a task's creation to its first run's start, over the same tasks;
     * {@code run_time_*}: from a run's start to its end; percentiles estimated from histograms of log-spaced
     * bins, within a factor √2 of the exact value ({@link Rollups#percentile}).
     * {@code retries}: attempts after a task's first; {@code reruns}: runs released or recovered (run again
     * without using an attempt). {@code top_failure_reasons}: the three most frequent failure classes.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record TaskGroup(@JsonInclude(JsonInclude.Include.NON_NULL) String type,
                            @JsonInclude(JsonInclude.Include.NON_NULL) String repository,
                            long tasks, long tasksCompleted, long tasksFailed, Double successRate, long runs,
                            double totalCostUsd, Double costPerCompletedTask, Double queueWaitP50Ms,
                            Double queueWaitP95Ms, Double runTimeP50Ms, Double runTimeP95Ms, long retries, long reruns,
                            List<FailureCount> topFailureReasons) {
    }

    /** One day (UTC) of one task type: cost, tasks whose first run was that day, runs, and runs that completed. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Daily(LocalDate date, String type, double costUsd, long tasks, long runs, long tasksCompleted) {
    }
}
