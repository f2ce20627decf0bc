package io.agentvine.controller.api;

import io.agentvine.controller.input.InputLimits;
import io.agentvine.controller.input.Texts;
import io.agentvine.controller.tasks.TaskRequest;
import io.agentvine.controller.tasks.TaskRequestRules;
import io.agentvine.model.Heartbeat;
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
    private final TaskRequestRules taskRules;

    public BodyRules(InputLimits limits, TaskRequestRules taskRules) {
        this.limits = limits;
        this.taskRules = taskRules;
    }

    /** A new task: the same rules as the dashboard's New task form ({@link TaskRequestRules}). */
    public void task(TaskRequest t) {
        taskRules.check(t);
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
