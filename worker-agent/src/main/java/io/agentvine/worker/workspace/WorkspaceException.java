package io.agentvine.worker.workspace;

/** A git step failed; the message is already redacted (no token ever appears in it). */
public class WorkspaceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Kind { CLONE_FAILED, COMMIT_FAILED, PUSH_FAILED }

    private final Kind kind;

    public WorkspaceException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
