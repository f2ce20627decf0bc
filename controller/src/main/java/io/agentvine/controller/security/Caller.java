package io.agentvine.controller.security;

import io.agentvine.model.TaskType;
import java.util.Set;

/**
 * Who is calling, from the bearer key. {@code keyName} names the key (never the key itself) and is
 * what a worker record remembers as its owner.
 */
public record Caller(Kind kind, String keyName, Set<TaskType> types, boolean allTypes) {
    public enum Kind { ADMIN, WORKER }

    public static final String ATTRIBUTE = "agentvine.caller";

    public boolean isAdmin() {
        return kind == Kind.ADMIN;
    }

    public boolean mayServe(TaskType type) {
        return isAdmin() || allTypes || types.contains(type);
    }
}
