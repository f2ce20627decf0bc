package io.agentvine.controller.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.agentvine.model.InvalidMessageException;
import io.agentvine.model.Json;
import io.agentvine.queue.WorkQueueException;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.codec.CodecException;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * Every error a client can cause becomes a 4xx with a JSON body naming the field; nothing a client
 * sends becomes a 500.
 */
final class ErrorHandlers {
    private ErrorHandlers() {
    }

    static Throwable root(Throwable t) {
        Throwable r = t;
        for (int i = 0; i < 10 && r.getCause() != null && r.getCause() != r; i++) {
            if (r instanceof InvalidMessageException) {
                return r;
            }
            r = r.getCause();
        }
        return r;
    }

    static HttpResponse<ApiError> badRequest(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InvalidMessageException ime) {
                return HttpResponse.badRequest(new ApiError("bad_request", ime.field(), ime.getMessage()));
            }
            if (c instanceof JsonProcessingException jpe) {
                InvalidMessageException ime = Json.explain(jpe);
                return HttpResponse.badRequest(new ApiError("bad_request", ime.field(), ime.getMessage()));
            }
        }
        if (t instanceof ConversionErrorException cee) {
            return HttpResponse.badRequest(new ApiError("bad_request", cee.getArgument().getName(),
                    "cannot be read: " + cee.getConversionError().getCause().getMessage()));
        }
        return HttpResponse.badRequest(new ApiError("bad_request", "body", String.valueOf(root(t).getMessage())));
    }

    @Produces
    @Singleton
    @Requires(classes = {InvalidMessageException.class, ExceptionHandler.class})
    static class InvalidMessage implements ExceptionHandler<InvalidMessageException, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, InvalidMessageException e) {
            return badRequest(e);
        }
    }

    @Produces
    @Singleton
    @Replaces(io.micronaut.http.server.exceptions.ConversionErrorHandler.class)
    static class Conversion implements ExceptionHandler<ConversionErrorException, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, ConversionErrorException e) {
            return badRequest(e);
        }
    }

    @Produces
    @Singleton
    @Replaces(io.micronaut.http.server.exceptions.JacksonExceptionHandler.class)
    static class Jackson implements ExceptionHandler<JsonProcessingException, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, JsonProcessingException e) {
            return badRequest(e);
        }
    }

    @Produces
    @Singleton
    @Replaces(io.micronaut.http.server.exceptions.JsonExceptionHandler.class)
    static class JsonSyntax implements ExceptionHandler<io.micronaut.json.JsonSyntaxException, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, io.micronaut.json.JsonSyntaxException e) {
            return badRequest(e);
        }
    }

    @Produces
    @Singleton
    static class Codec implements ExceptionHandler<CodecException, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, CodecException e) {
            return badRequest(e);
        }
    }

    @Produces
    @Singleton
    static class Api implements ExceptionHandler<ApiException, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, ApiException e) {
            return HttpResponse.<ApiError>status(e.status()).body(e.body());
        }
    }

    @Produces
    @Singleton
    static class Queue implements ExceptionHandler<WorkQueueException, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, WorkQueueException e) {
            return HttpResponse.<ApiError>status(HttpStatus.CONFLICT).body(new ApiError("conflict", null, e.getMessage()));
        }
    }

    @Produces
    @Singleton
    @Replaces(io.micronaut.http.server.exceptions.ContentLengthExceededHandler.class)
    static class TooLarge implements ExceptionHandler<ContentLengthExceededException, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, ContentLengthExceededException e) {
            return HttpResponse.<ApiError>status(HttpStatus.REQUEST_ENTITY_TOO_LARGE)
                    .body(new ApiError("payload_too_large", "body", e.getMessage()));
        }
    }
}
