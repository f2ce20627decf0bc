package io.agentvine.controller.security;

import io.agentvine.model.TaskType;
import java.util.Set;

/**
 * Who is calling, from the bearer key. {@code keyName} names the key (never the key itself) and is
 * what a worker record remembers as its owner.
 */
public record Caller(Kind kind, String keyName, Set<TaskType> types, boolean allTypes) {
    /** A key's kind and the role ({@link Roles}) it grants. */
    public enum Kind {
        ADMIN(Roles.ADMIN), VIEWER(Roles.VIEWER), WORKER(Roles.WORKER);

        private final String role;

        Kind(String role) {
            this.role = role;
        }

        public String role() {
            return role;
        }
    }

    /** The authentication attribute that carries the caller. */
    public static final String ATTRIBUTE = "agentvine.caller";

    public boolean isAdmin() {
        return kind == Kind.ADMIN;
    }

    /** Operators' keys (admin, viewer) read every worker; a worker key reads only its own. */
    public boolean readsEveryWorker() {
        return kind != Kind.WORKER;
    }

    public boolean mayServe(TaskType type) {
        return isAdmin() || (kind == Kind.WORKER && (allTypes || types.contains(type)));
    }
}
