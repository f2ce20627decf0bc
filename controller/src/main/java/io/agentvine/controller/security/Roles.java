package io.agentvine.controller.security;

/**
 * The roles a bearer key grants, as named in {@code @Secured} on every controller method: an
 * operator's {@link #ADMIN} key, a read-only {@link #VIEWER} key (dashboards), a {@link #WORKER} key
 * (its task types and its own workers are checked on the data, in the worker registry).
 */
public final class Roles {
    public static final String ADMIN = "admin";
    public static final String VIEWER = "viewer";
    public static final String WORKER = "worker";

    private Roles() {
    }
}
