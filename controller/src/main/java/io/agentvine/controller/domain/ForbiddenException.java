package io.agentvine.controller.domain;

/** The caller's key may not do this. */
public final class ForbiddenException extends DomainException {
    private static final long serialVersionUID = 1L;

    /** @param field what the key may not do it with: {@code authorization} (the key itself), or a field of the request */
    public ForbiddenException(String field, String message) {
        super(field, message);
    }
}
