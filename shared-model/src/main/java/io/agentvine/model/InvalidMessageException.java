package io.agentvine.model;

/**
 * A message violates the wire contract. The message names the field and the problem, in words a
 * client can act on (it is returned as-is in 4xx bodies).
 */
public class InvalidMessageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public InvalidMessageException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    /** The snake_case name of the offending field, or {@code "body"} for the message as a whole. */
    public String field() {
        return field;
    }
}
