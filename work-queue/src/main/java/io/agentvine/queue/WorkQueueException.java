package io.agentvine.queue;

/** An operation the queue refuses; the message says why in terms an operator can act on. */
public class WorkQueueException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WorkQueueException(String message) {
        super(message);
    }
}
