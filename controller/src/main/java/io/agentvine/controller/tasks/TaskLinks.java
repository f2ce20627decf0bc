package io.agentvine.controller.tasks;

import java.util.List;

/**
 * Where a new task stands among others: the tasks it waits for, the task whose work branch it continues,
 * the chain it belongs to (its first task's id; null: a task of its own), its pipeline step's name and, for a
 * follow-up, its chain's {@code max_follow_ups} (checked again when it is stored, under the first task's row lock).
 */
public record TaskLinks(List<String> dependsOn, String continues, String chainId, String step, Integer maxFollowUps) {
    public static final TaskLinks NONE = new TaskLinks(List.of(), null, null, null);

    public TaskLinks {
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    }

    public TaskLinks(List<String> dependsOn, String continues, String chainId, String step) {
        this(dependsOn, continues, chainId, step, null);
    }

    public boolean inChain() {
        return chainId != null;
    }
}
