package io.agentvine.controller.domain;

/** The work queue could not be reached; nothing was changed, the request may be repeated. */
public final class QueueUnavailableException extends DomainException {
    private static final long serialVersionUID = 1L;

    public QueueUnavailableException(String message, Throwable cause) {
        super(null, message);
        initCause(cause);
    }
}
