package io.agentvine.worker.controlplane;

/**
 * The controller answered with an error. {@code status} is the HTTP status; the message is the
 * controller's own (its JSON error names the field at fault).
 */
public class ControllerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public ControllerException(int status, String message) {
        super("controller answered " + status + ": " + message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** The controller no longer knows this worker as live (404, 410): register again. */
    public boolean workerGone() {
        return status == 404 || status == 410;
    }
}
