package io.agentvine.controller.api;

import io.micronaut.http.HttpStatus;

/** A request the API refuses, with the status and the JSON error body to answer with. */
public class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient HttpStatus status;
    private final String code;
    private final String field;

    public ApiException(HttpStatus status, String code, String field, String message) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public static ApiException notFound(String what, String id) {
        return new ApiException(HttpStatus.NOT_FOUND, "not_found", "id", what + " " + id + " does not exist");
    }

    /** @param field what the key may not do it with: {@code authorization} (the key itself), or a field of the request */
    public static ApiException forbidden(String field, String message) {
        return new ApiException(HttpStatus.FORBIDDEN, "forbidden", field, message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(HttpStatus.CONFLICT, "conflict", null, message);
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "bad_request", field, message);
    }

    public HttpStatus status() {
        return status;
    }

    public ApiError body() {
        return new ApiError(code, field, getMessage());
    }
}
