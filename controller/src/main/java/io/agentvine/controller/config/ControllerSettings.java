package io.agentvine.controller.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything under {@code agentvine.*} in application.yml (each also settable by environment variable). */
@ConfigurationProperties("agentvine")
public class ControllerSettings {
    private String redisUrl = "redis://127.0.0.1:6379";
    private String queueNamespace = "wo";
    private Duration heartbeatInterval = Duration.ofSeconds(15);
    private Duration lease = Duration.ofSeconds(30);
    private Duration staleAfter = Duration.ofSeconds(300);
    private Duration healthCheckInterval = Duration.ofSeconds(5);
    private Duration lifecycleClaimAfter = Duration.ofSeconds(30);
    private boolean allowFileRepositories;
    private List<String> customTaskTypes = new ArrayList<>();
    /** Comma-separated admin keys (AGENTVINE_ADMIN_KEYS). */
    private String adminKeys = "";
    /** Comma-separated read-only viewer keys (AGENTVINE_VIEWER_KEYS). */
    private String viewerKeys = "";
    /** Worker keys: {@code name:key:type|type,...} (AGENTVINE_WORKER_KEYS); type {@code *} means every type. */
    private String workerKeys = "";
    /** Loopback and private git hosts tasks may name: host names and CIDRs (AGENTVINE_ALLOWED_GIT_HOSTS). */
    private String allowedGitHosts = "";
    /** Request size limits (AGENTVINE_MAX_TITLE_LENGTH, ...); at most the contract's own limits. */
    private int maxTitleLength = 200;
    private int maxInstructionsLength = 100_000;
    private int maxTestCommandLength = 1000;
    private int maxMetadataBytes = 16_384;
    private int maxMetadataDepth = 8;
    private Map<String, String> tierModels = new LinkedHashMap<>(Map.of("premium", "opus", "standard", "sonnet", "budget", "haiku"));
    /** Per task type overrides: {@code agentvine.type-models.review.premium: opus}. */
    private Map<String, Map<String, String>> typeModels = new LinkedHashMap<>();
    /** Estimated cost of one run per model, in USD (what the routing decision reports). */
    private Map<String, Double> estimatedCostUsd = new LinkedHashMap<>(Map.of("opus", 1.50, "sonnet", 0.30, "haiku", 0.05));

    /** How long the workers keep an ended attempt's live log (AGENTVINE_LOG_RETENTION; the workers' setting, named in messages). */
    private Duration logRetention = Duration.ofHours(24);

    public String getRedisUrl() { return redisUrl; }
    public void setRedisUrl(String v) { this.redisUrl = v; }
    public String getQueueNamespace() { return queueNamespace; }
    public void setQueueNamespace(String v) { this.queueNamespace = v; }
    public Duration getHeartbeatInterval() { return heartbeatInterval; }
    public void setHeartbeatInterval(Duration v) { this.heartbeatInterval = v; }
    public Duration getLease() { return lease; }
    public void setLease(Duration v) { this.lease = v; }
    public Duration getStaleAfter() { return staleAfter; }
    public void setStaleAfter(Duration v) { this.staleAfter = v; }
    public Duration getHealthCheckInterval() { return healthCheckInterval; }
    public void setHealthCheckInterval(Duration v) { this.healthCheckInterval = v; }
    public Duration getLifecycleClaimAfter() { return lifecycleClaimAfter; }
    public void setLifecycleClaimAfter(Duration v) { this.lifecycleClaimAfter = v; }
    public boolean isAllowFileRepositories() { return allowFileRepositories; }
    public void setAllowFileRepositories(boolean v) { this.allowFileRepositories = v; }
    public List<String> getCustomTaskTypes() { return customTaskTypes; }
    public void setCustomTaskTypes(List<String> v) { this.customTaskTypes = v; }
    public String getAdminKeys() { return adminKeys; }
    public void setAdminKeys(String v) { this.adminKeys = v; }
    public String getViewerKeys() { return viewerKeys; }
    public void setViewerKeys(String v) { this.viewerKeys = v; }
    public String getWorkerKeys() { return workerKeys; }
    public void setWorkerKeys(String v) { this.workerKeys = v; }
    public String getAllowedGitHosts() { return allowedGitHosts; }
    public void setAllowedGitHosts(String v) { this.allowedGitHosts = v; }
    public int getMaxTitleLength() { return maxTitleLength; }
    public void setMaxTitleLength(int v) { this.maxTitleLength = v; }
    public int getMaxInstructionsLength() { return maxInstructionsLength; }
    public void setMaxInstructionsLength(int v) { this.maxInstructionsLength = v; }
    public int getMaxTestCommandLength() { return maxTestCommandLength; }
    public void setMaxTestCommandLength(int v) { this.maxTestCommandLength = v; }
    public int getMaxMetadataBytes() { return maxMetadataBytes; }
    public void setMaxMetadataBytes(int v) { this.maxMetadataBytes = v; }
    public int getMaxMetadataDepth() { return maxMetadataDepth; }
    public void setMaxMetadataDepth(int v) { this.maxMetadataDepth = v; }
    public Map<String, String> getTierModels() { return tierModels; }
    public void setTierModels(Map<String, String> v) { this.tierModels = v; }
    public Map<String, Map<String, String>> getTypeModels() { return typeModels; }
    public void setTypeModels(Map<String, Map<String, String>> v) { this.typeModels = v; }
    public Map<String, Double> getEstimatedCostUsd() { return estimatedCostUsd; }
    public void setEstimatedCostUsd(Map<String, Double> v) { this.estimatedCostUsd = v; }
    public Duration getLogRetention() { return logRetention; }
    public void setLogRetention(Duration v) { this.logRetention = v; }
}
