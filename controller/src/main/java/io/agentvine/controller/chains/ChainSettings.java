package io.agentvine.controller.chains;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/** Follow-ups, chains and dependencies, {@code agentvine.chains.*}. */
@ConfigurationProperties("agentvine.chains")
public class ChainSettings {
    private int maxFollowUps = 10;
    private double maxCostUsd = 20.0;
    private int maxPipelineSteps = 10;
    private Duration releaseCheck = Duration.ofSeconds(2);

    /** Follow-ups a chain may have unless its first task says otherwise ({@code AGENTVINE_MAX_FOLLOW_UPS}, default 10). */
    public int getMaxFollowUps() { return maxFollowUps; }
    public void setMaxFollowUps(int v) { this.maxFollowUps = v; }

    /**
     * What a whole chain (its first task, its follow-ups, a pipeline's steps) may spend in USD unless its first
     * task says otherwise ({@code AGENTVINE_CHAIN_MAX_COST_USD}, default 20): no follow-up is taken once it is
     * spent, and a follow-up's own budget is at most what is left.
     */
    public double getMaxCostUsd() { return maxCostUsd; }
    public void setMaxCostUsd(double v) { this.maxCostUsd = v; }

    /** Steps a pipeline may have (default 10). */
    public int getMaxPipelineSteps() { return maxPipelineSteps; }
    public void setMaxPipelineSteps(int v) { this.maxPipelineSteps = v; }

    /**
     * How often waiting tasks are looked at without a task having ended here ({@code AGENTVINE_CHAIN_RELEASE_CHECK},
     * default 2s): a parent that ended on another replica, or before a restart, releases its dependents within it.
     */
    public Duration getReleaseCheck() { return releaseCheck; }
    public void setReleaseCheck(Duration v) { this.releaseCheck = v; }
}
