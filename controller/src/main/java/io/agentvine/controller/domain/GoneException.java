package io.agentvine.controller.domain;

/** The thing the request names existed but is gone for good (a deregistered worker). */
public final class GoneException extends DomainException {
    private static final long serialVersionUID = 1L;

    public GoneException(String message) {
        super(null, message);
    }

    /** @param field what in the request named the thing that is gone */
    public GoneException(String field, String message) {
        super(field, message);
    }
}
