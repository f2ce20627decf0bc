package io.agentvine.controller.api;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.Locale;

/** Micronaut's own errors (unknown route, wrong method, missing argument, …) in the API's error shape. */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class ApiErrorResponses implements ErrorResponseProcessor<ApiError> {
    @Override
    public MutableHttpResponse<ApiError> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        String code = response.getStatus().getReason().toLowerCase(Locale.ROOT).replace(' ', '_');
        String message = response.getStatus().getReason();
        String field = null;
        if (!context.getErrors().isEmpty()) {
            Error first = context.getErrors().get(0);
            message = first.getMessage();
            // Micronaut names a missing body "/body".
            field = first.getPath().map(p -> p.startsWith("/") ? p.substring(1) : p).orElse(null);
        }
        if (field == null) {
            boolean hasBody = context.getRequest().getContentLength() > 0;
            field = fieldOf(response.getStatus().getCode(), hasBody);
            if (response.getStatus().getCode() == 413 && !hasBody) {
                message = "the URL or the headers are longer than the server accepts";
            }
        }
        return response.contentType(MediaType.APPLICATION_JSON_TYPE).body(new ApiError(code, field, message));
    }

    /** What the request got wrong when Micronaut refuses it before any handler runs. */
    private static String fieldOf(int status, boolean hasBody) {
        return switch (status) {
            case 404 -> "path";
            case 405 -> "method";
            case 406 -> "Accept";
            case 413 -> hasBody ? "body" : "path"; // without a body, the URL or the headers were too long
            case 415 -> "Content-Type";
            default -> null;
        };
    }
}
