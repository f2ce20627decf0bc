package io.agentvine.controller.input;

import io.agentvine.controller.config.ControllerSettings;
import io.agentvine.model.GitHostPolicy;
import jakarta.inject.Singleton;

/**
 * The git host policy with the configured allow list (agentvine.allowed-git-hosts). Host names are
 * judged as written, never resolved: the controller's view of DNS is not the workers', and a check at
 * submission could not hold at clone time anyway.
 */
@Singleton
public class RepositoryHosts {
    private final GitHostPolicy policy;

    public RepositoryHosts(ControllerSettings settings) {
        this.policy = GitHostPolicy.allowing(settings.getAllowedGitHosts());
    }

    /** Refuses a repository URL whose host the policy refuses, naming {@code field}. */
    public void check(String url, String field) {
        policy.checkUrl(url, field);
    }
}
