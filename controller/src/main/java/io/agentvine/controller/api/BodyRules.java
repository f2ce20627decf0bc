package io.agentvine.controller.api;

import io.agentvine.controller.input.InputLimits;
import io.agentvine.controller.input.RepositoryHosts;
import io.agentvine.controller.input.Texts;
import io.agentvine.controller.tasks.TaskRequest;
import io.agentvine.model.BranchNames;
import io.agentvine.model.Heartbeat;
import io.agentvine.model.WorkOrder;
import io.agentvine.model.WorkerRegistration;
import jakarta.inject.Singleton;

/**
 * What each body must satisfy beyond its record's own rules: the configured limits, the git host
 * policy, text without stray control characters, and the database's column sizes.
 */
@Singleton
public class BodyRules {
    /** The workers table's version column. */
    static final int MAX_VERSION_LENGTH = 64;
    private static final int MAX_LABEL_LENGTH = 100;

    private final InputLimits limits;
    private final RepositoryHosts hosts;

    public BodyRules(InputLimits limits, RepositoryHosts hosts) {
        this.limits = limits;
        this.hosts = hosts;
    }

    public void task(TaskRequest t) {
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

    public void registration(WorkerRegistration r) {
        Texts.line(r.version(), "version", MAX_VERSION_LENGTH);
        for (int i = 0; i < r.specializations().size(); i++) {
            Texts.line(r.specializations().get(i), "specializations[" + i + "]", MAX_LABEL_LENGTH);
        }
        for (int i = 0; i < r.tools().size(); i++) {
            Texts.line(r.tools().get(i), "tools[" + i + "]", MAX_LABEL_LENGTH);
        }
        limits.metadata(r.metadata(), "metadata");
    }

    public void heartbeat(Heartbeat h) {
        limits.metadata(h.metadata(), "metadata");
    }
}
