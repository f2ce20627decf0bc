package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A task (and worker) type: one of the six built-in names, or a custom name that configuration
 * allows (see {@link TaskTypes}). The name is part of Redis keys and container names, so it is
 * restricted to lower-case letters, digits, '-' and '_'.
 */
public record TaskType(String name) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    public static final TaskType FEATURE = new TaskType("feature");
    public static final TaskType BUGFIX = new TaskType("bugfix");
    public static final TaskType TEST = new TaskType("test");
    public static final TaskType DOCS = new TaskType("docs");
    public static final TaskType REFACTOR = new TaskType("refactor");
    public static final TaskType REVIEW = new TaskType("review");

    public static final List<TaskType> BUILT_IN = List.of(FEATURE, BUGFIX, TEST, DOCS, REFACTOR, REVIEW);

    public TaskType {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidMessageException("type", "'" + name
                    + "' is not a valid task type name (lower-case letters, digits, '-' or '_', starting with a letter, at most 32 characters)");
        }
    }

    @JsonCreator
    public static TaskType of(String name) {
        return new TaskType(name == null ? null : name.trim());
    }

    public boolean isBuiltIn() {
        return BUILT_IN.contains(this);
    }

    @JsonValue
    @Override
    public String toString() {
        return name;
    }
}
