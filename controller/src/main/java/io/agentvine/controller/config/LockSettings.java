package io.agentvine.controller.config;

import io.agentvine.queue.RepositoryLocks;
import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Repository locks, {@code agentvine.locks.*} (README "Repository locks"): the locks the controller's enqueues give
 * work orders; the workers' claims enforce them.
 */
@ConfigurationProperties("agentvine.locks")
public class LockSettings {
    private boolean enabled = true;
    private String maxRunningPerRepository = "";
    private String repositoryLimits = "";

    /** {@code AGENTVINE_LOCKS_ENABLED}, default true: never two running attempts on one work branch. */
    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean v) { this.enabled = v; }

    /** {@code AGENTVINE_MAX_RUNNING_PER_REPOSITORY}: running orders per repository; empty (the default) = unlimited. */
    public String getMaxRunningPerRepository() { return maxRunningPerRepository; }
    public void setMaxRunningPerRepository(String v) { this.maxRunningPerRepository = v; }

    /** {@code AGENTVINE_REPOSITORY_LIMITS}: per repository overrides, e.g. {@code github.com/acme/small=1,github.com/acme/big=4}. */
    public String getRepositoryLimits() { return repositoryLimits; }
    public void setRepositoryLimits(String v) { this.repositoryLimits = v; }

    /**
     * The settings as the queue takes them.
     *
     * @throws IllegalArgumentException naming the setting and its environment variable
     */
    public RepositoryLocks toLocks() {
        try {
            return RepositoryLocks.parse(enabled, maxRunningPerRepository, repositoryLimits);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("agentvine.locks: " + e.getMessage()
                    + " (AGENTVINE_MAX_RUNNING_PER_REPOSITORY / AGENTVINE_REPOSITORY_LIMITS)", e);
        }
    }
}
