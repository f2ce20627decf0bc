package io.agentvine.controller.tasks;

import java.util.List;

/**
 * Where a new task stands among others: the tasks it waits for, the task whose work branch it continues,
 * the chain it belongs to (its first task's id; null: a task of its own) and its pipeline step's name.
 */
public record TaskLinks(List<String> dependsOn, String continues, String chainId, String step) {
    public static final TaskLinks NONE = new TaskLinks(List.of(), null, null, null);

    public TaskLinks {
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    }

    public boolean inChain() {
        return chainId != null;
    }
}
