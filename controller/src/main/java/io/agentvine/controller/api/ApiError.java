package io.agentvine.controller.api;

/**
 * The body of every 4xx/5xx answer.
 *
 * @param error   a stable machine-readable code (bad_request, unauthorized, forbidden, not_found, conflict, …)
 * @param field   the snake_case request field at fault, or null
 * @param message what is wrong, in words a client can act on
 */
public record ApiError(String error, String field, String message) {
}
