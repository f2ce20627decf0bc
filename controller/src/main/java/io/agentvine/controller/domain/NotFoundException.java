package io.agentvine.controller.domain;

/** The thing a request names by its id does not exist. */
public final class NotFoundException extends DomainException {
    private static final long serialVersionUID = 1L;

    /** @param what the kind of thing ({@code task}, {@code worker}, {@code clarification}) */
    public NotFoundException(String what, String id) {
        super("id", what + " " + id + " does not exist");
    }
}
