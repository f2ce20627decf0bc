package io.agentvine.worker.controlplane;

/** The controller could not be reached (down, restarting, network): retry with backoff; leases live in Redis. */
public class ControllerUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ControllerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
