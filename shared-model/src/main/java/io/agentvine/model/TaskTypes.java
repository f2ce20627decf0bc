package io.agentvine.model;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

/** The task types a deployment accepts: the built-in six plus the custom names its configuration adds. */
public record TaskTypes(Set<TaskType> allowed) {
    public TaskTypes {
        allowed = Set.copyOf(Check.required(allowed, "allowed"));
    }

    public static TaskTypes builtIn() {
        return withCustom(Set.of());
    }

    public static TaskTypes withCustom(Set<String> customNames) {
        Set<TaskType> all = new LinkedHashSet<>(TaskType.BUILT_IN);
        customNames.forEach(n -> all.add(TaskType.of(n)));
        return new TaskTypes(all);
    }

    /** Parses {@code name} and checks that this deployment accepts it. */
    public TaskType require(String name) {
        TaskType type = TaskType.of(name);
        if (!allowed.contains(type)) {
            throw new InvalidMessageException("type", "unknown task type '" + name + "'; accepted: "
                    + allowed.stream().map(TaskType::name).sorted().collect(Collectors.joining(", ")));
        }
        return type;
    }

    public boolean accepts(TaskType type) {
        return allowed.contains(type);
    }
}
