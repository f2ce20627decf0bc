package io.agentvine.controller.budgets;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * Budgets, {@code agentvine.budgets.*} (README "Budgets"). A cap of 0 (or none given) is no cap. Caps per type
 * and per repository are lists {@code name=amount} separated by commas, e.g. {@code feature=50,docs=5} or
 * {@code https://github.com/acme/shop=20}; {@link BudgetCaps} reads and checks them, naming the setting a
 * value is wrong in.
 */
@ConfigurationProperties("agentvine.budgets")
public class BudgetSettings {
    /** What running attempts do when their scope's cap is reached. */
    public enum OnCap { FINISH, STOP }

    private double fleetUsd;
    private long fleetTokens;
    private String typeUsd = "";
    private String typeTokens = "";
    private String repoUsd = "";
    private String repoTokens = "";
    private long chainTokens;
    private String onCap = "finish";
    private String zone = "UTC";
    private Duration check = Duration.ofSeconds(5);

    /** The fleet's daily cap in USD ({@code AGENTVINE_BUDGETS_FLEET_USD}). */
    public double getFleetUsd() { return fleetUsd; }
    public void setFleetUsd(double v) { this.fleetUsd = v; }

    /** The fleet's daily cap in tokens, input and output ({@code AGENTVINE_BUDGETS_FLEET_TOKENS}). */
    public long getFleetTokens() { return fleetTokens; }
    public void setFleetTokens(long v) { this.fleetTokens = v; }

    /** Daily caps in USD per task type, {@code type=usd,…} ({@code AGENTVINE_BUDGETS_TYPE_USD}). */
    public String getTypeUsd() { return typeUsd; }
    public void setTypeUsd(String v) { this.typeUsd = v; }

    /** Daily caps in tokens per task type ({@code AGENTVINE_BUDGETS_TYPE_TOKENS}). */
    public String getTypeTokens() { return typeTokens; }
    public void setTypeTokens(String v) { this.typeTokens = v; }

    /** Daily caps in USD per repository URL, {@code url=usd,…} ({@code AGENTVINE_BUDGETS_REPO_USD}). */
    public String getRepoUsd() { return repoUsd; }
    public void setRepoUsd(String v) { this.repoUsd = v; }

    /** Daily caps in tokens per repository URL ({@code AGENTVINE_BUDGETS_REPO_TOKENS}). */
    public String getRepoTokens() { return repoTokens; }
    public void setRepoTokens(String v) { this.repoTokens = v; }

    /**
     * What a whole chain may spend in tokens ({@code AGENTVINE_BUDGETS_CHAIN_TOKENS}); its cap in USD is the
     * chain's own ({@code agentvine.chains.max-cost-usd} or the first task's {@code chain_max_cost_usd}).
     */
    public long getChainTokens() { return chainTokens; }
    public void setChainTokens(long v) { this.chainTokens = v; }

    /** {@code finish} (default): running attempts finish; {@code stop}: they are cancelled ({@code AGENTVINE_BUDGETS_ON_CAP}). */
    public String getOnCap() { return onCap; }
    public void setOnCap(String v) { this.onCap = v; }

    /** The time zone or offset whose midnight starts a budget day ({@code AGENTVINE_BUDGETS_ZONE}, default UTC). */
    public String getZone() { return zone; }
    public void setZone(String v) { this.zone = v; }

    /** How often the budgets are looked at besides the moment usage arrives ({@code AGENTVINE_BUDGETS_CHECK}, default 5s). */
    public Duration getCheck() { return check; }
    public void setCheck(Duration v) { this.check = v; }
}
