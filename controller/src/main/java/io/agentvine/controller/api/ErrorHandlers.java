package io.agentvine.controller.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.agentvine.controller.domain.ConflictException;
import io.agentvine.controller.domain.DomainException;
import io.agentvine.controller.domain.ForbiddenException;
import io.agentvine.controller.domain.GoneException;
import io.agentvine.controller.domain.InvalidInputException;
import io.agentvine.controller.domain.NotFoundException;
import io.agentvine.controller.domain.QueueUnavailableException;
import io.agentvine.controller.ui.UiErrors;
import io.agentvine.model.InvalidMessageException;
import io.agentvine.model.Json;
import io.agentvine.queue.WorkQueueException;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.codec.CodecException;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.server.exceptions.ContentLengthExceededHandler;
import io.micronaut.http.server.exceptions.ConversionErrorHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.JacksonExceptionHandler;
import io.micronaut.http.server.exceptions.JsonExceptionHandler;
import io.micronaut.json.JsonSyntaxException;
import jakarta.inject.Singleton;
import java.util.Locale;

/**
 * The API's one error handler: {@link #respond} turns whatever a request ran into (a service's
 * {@link DomainException}, a body the contract refuses, a queue refusal, a body too large) into the
 * status and {@link ApiError} body it answers with. Every error a client can cause becomes a 4xx
 * naming the field; nothing a client sends becomes a 500. The beans below only tell Micronaut which
 * exception types go to it (four of them in place of Micronaut's own handlers).
 */
@Factory
class ErrorHandlers {

    /** The answer to {@code t}: the API's JSON error, or for the dashboard (/ui) its error page or fragment. */
    static HttpResponse<?> respond(HttpRequest<?> request, Throwable t) {
        HttpResponse<ApiError> api = apiError(t);
        if (request != null && UiErrors.isUi(request)) {
            ApiError e = api.body();
            return UiErrors.render(request, api.code(), e == null ? null : e.field(), e == null ? api.reason() : e.message());
        }
        return api;
    }

    private static HttpResponse<ApiError> apiError(Throwable t) {
        if (t instanceof DomainException d) {
            return HttpResponse.<ApiError>status(status(d)).body(new ApiError(code(d), d.field(), d.getMessage()));
        }
        if (t instanceof WorkQueueException) {
            return HttpResponse.<ApiError>status(HttpStatus.CONFLICT).body(new ApiError("conflict", null, t.getMessage()));
        }
        if (t instanceof ContentLengthExceededException) {
            return HttpResponse.<ApiError>status(HttpStatus.REQUEST_ENTITY_TOO_LARGE)
                    .body(new ApiError("payload_too_large", "body", t.getMessage()));
        }
        return badRequest(t);
    }

    private static HttpStatus status(DomainException d) {
        if (d instanceof NotFoundException) {
            return HttpStatus.NOT_FOUND;
        } else if (d instanceof ConflictException) {
            return HttpStatus.CONFLICT;
        } else if (d instanceof ForbiddenException) {
            return HttpStatus.FORBIDDEN;
        } else if (d instanceof GoneException) {
            return HttpStatus.GONE;
        } else if (d instanceof QueueUnavailableException) {
            return HttpStatus.SERVICE_UNAVAILABLE;
        }
        return HttpStatus.BAD_REQUEST; // InvalidInputException
    }

    private static String code(DomainException d) {
        if (d instanceof InvalidInputException) {
            return "bad_request";
        } else if (d instanceof QueueUnavailableException) {
            return "queue_unavailable";
        }
        return status(d).getReason().toLowerCase(Locale.ROOT).replace(' ', '_');
    }

    private static HttpResponse<ApiError> badRequest(Throwable t) {
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

    private static Throwable root(Throwable t) {
        Throwable r = t;
        for (int i = 0; i < 10 && r.getCause() != null && r.getCause() != r; i++) {
            r = r.getCause();
        }
        return r;
    }

    @Produces
    @Singleton
    ExceptionHandler<DomainException, HttpResponse<?>> domain() {
        return ErrorHandlers::respond;
    }

    @Produces
    @Singleton
    ExceptionHandler<InvalidMessageException, HttpResponse<?>> invalidMessage() {
        return ErrorHandlers::respond;
    }

    @Produces
    @Singleton
    ExceptionHandler<WorkQueueException, HttpResponse<?>> queue() {
        return ErrorHandlers::respond;
    }

    @Produces
    @Singleton
    ExceptionHandler<CodecException, HttpResponse<?>> codec() {
        return ErrorHandlers::respond;
    }

    @Produces
    @Singleton
    @Replaces(ConversionErrorHandler.class)
    ExceptionHandler<ConversionErrorException, HttpResponse<?>> conversion() {
        return ErrorHandlers::respond;
    }

    @Produces
    @Singleton
    @Replaces(JacksonExceptionHandler.class)
    ExceptionHandler<JsonProcessingException, HttpResponse<?>> jackson() {
        return ErrorHandlers::respond;
    }

    @Produces
    @Singleton
    @Replaces(JsonExceptionHandler.class)
    ExceptionHandler<JsonSyntaxException, HttpResponse<?>> jsonSyntax() {
        return ErrorHandlers::respond;
    }

    @Produces
    @Singleton
    @Replaces(ContentLengthExceededHandler.class)
    ExceptionHandler<ContentLengthExceededException, HttpResponse<?>> tooLarge() {
        return ErrorHandlers::respond;
    }
}
