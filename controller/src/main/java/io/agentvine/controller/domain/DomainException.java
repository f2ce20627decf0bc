package io.agentvine.controller.domain;

/**
 * A request a service refuses, in the service's own terms: what is wrong and, where one is at fault,
 * the request field. The {@code api} package decides how each kind reads over HTTP.
 */
public abstract sealed class DomainException extends RuntimeException
        permits NotFoundException, ConflictException, InvalidInputException, ForbiddenException, GoneException,
        QueueUnavailableException {
    private static final long serialVersionUID = 1L;

    private final String field;

    protected DomainException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The snake_case request field at fault, or null when the request as a whole is. */
    public String field() {
        return field;
    }
}
