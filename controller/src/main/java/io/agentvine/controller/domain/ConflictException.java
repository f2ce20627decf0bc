package io.agentvine.controller.domain;

/** The request is well-formed but the thing it acts on is not in a state that allows it. */
public final class ConflictException extends DomainException {
    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(null, message);
    }
}
