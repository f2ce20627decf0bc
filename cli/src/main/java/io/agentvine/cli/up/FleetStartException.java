package io.agentvine.cli.up;

import java.nio.file.Path;

/** The fleet could not start: what went wrong, and the log that says more (or null). */
public final class FleetStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path log;

    public FleetStartException(String message, Path log) {
        super(message);
        this.log = log;
    }

    public FleetStartException(String message) {
        this(message, null);
    }

    public Path log() {
        return log;
    }
}
