package io.agentvine.controller.domain;

/** A request field holds a value the service does not accept. */
public final class InvalidInputException extends DomainException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String field, String message) {
        super(field, message);
    }
}
