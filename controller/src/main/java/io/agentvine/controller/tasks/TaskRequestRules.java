package io.agentvine.controller.tasks;

import io.agentvine.controller.input.InputLimits;
import io.agentvine.controller.input.RepositoryHosts;
import io.agentvine.controller.input.Texts;
import io.agentvine.model.BranchNames;
import io.agentvine.model.WorkOrder;
import jakarta.inject.Singleton;

/**
 * What a new task's fields must satisfy beyond the record's own rules: the configured limits, the git
 * host policy, text without stray control characters. The API's body reader and the dashboard's New
 * task form both ask here, so both refuse the same input with the same message naming the field.
 */
@Singleton
public class TaskRequestRules {
    private final InputLimits limits;
    private final RepositoryHosts hosts;

    public TaskRequestRules(InputLimits limits, RepositoryHosts hosts) {
        this.limits = limits;
        this.hosts = hosts;
    }

    public void check(TaskRequest t) {
        Texts.line(t.type(), "type", 64);
        if (t.repositoryUrl() != null) {
            WorkOrder.validateRepositoryUrl(t.repositoryUrl());
            hosts.check(t.repositoryUrl(), "repository_url");
        }
        BranchNames.check(t.branch(), "branch");
        Texts.line(t.title(), "title", limits.titleLength());
        Texts.text(t.instructions(), "instructions", limits.instructionsLength());
        Texts.text(t.testCommand(), "test_command", limits.testCommandLength());
        Texts.line(t.model(), "model", 100);
        Texts.line(t.idempotencyKey(), "idempotency_key", 200);
        limits.metadata(t.metadata(), "metadata");
    }
}
