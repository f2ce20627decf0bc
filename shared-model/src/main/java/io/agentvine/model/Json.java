package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.temporal.Temporal;
import java.util.stream.Collectors;

/**
 * The one JSON configuration of the contract: snake_case names, ISO-8601 instants, unknown fields
 * ignored, nulls omitted, floats in metadata kept exact, nothing accepted after the message.
 * Controller and workers must both use it (the controller's Jackson is configured the same way).
 */
public final class Json {
    private static final ObjectMapper MAPPER = configure(JsonMapper.builder()).build();

    private Json() {
    }

    /** Applies the contract's settings to a builder (lets frameworks configure their own mapper the same way). */
    public static JsonMapper.Builder configure(JsonMapper.Builder builder) {
        return builder
                .addModule(new JavaTimeModule())
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // Without it "{...} garbage" or two concatenated messages read as the first one.
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                // Trees too: 19.990 stays 19.990 for code that inspects a message as a JsonNode.
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                // Null properties are omitted; null values inside metadata maps are data and are kept.
                .defaultPropertyInclusion(
                        JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.ALWAYS));
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * Parses a message of the contract.
     *
     * @throws InvalidMessageException naming the field and the problem, whatever went wrong
     */
    public static <T> T read(String json, Class<T> type) {
        if (json == null || json.isBlank()) {
            throw new InvalidMessageException("body", "is empty");
        }
        try {
            T value = MAPPER.readValue(json, type);
            if (value == null) {
                throw new InvalidMessageException("body", "is null");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw explain(e);
        }
    }

    /**
     * Turns a Jackson failure into the contract's exception, keeping a validation message when there is
     * one. The field is the value's place in the message ({@code current_tasks[0].attempt},
     * {@code task_type}), not just the name the failing type knows for itself.
     */
    public static InvalidMessageException explain(JsonProcessingException e) {
        String path = e instanceof JsonMappingException jme ? path(jme) : "";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidMessageException ime) {
                return locate(ime, path, e);
            }
        }
        if (!path.isEmpty()) {
            String problem;
            if (e instanceof InvalidFormatException ife) {
                problem = "value '" + ife.getValue() + "' " + (Temporal.class.isAssignableFrom(ife.getTargetType())
                        ? "is not an ISO-8601 timestamp such as 2025-01-31T12:00:00Z"
                        : "cannot be read as " + ife.getTargetType().getSimpleName());
            } else if (e instanceof MismatchedInputException mie && mie.getTargetType() != null) {
                problem = "expected " + describe(mie.getTargetType());
            } else {
                problem = e.getOriginalMessage();
            }
            return new InvalidMessageException(path, problem);
        }
        return new InvalidMessageException("body", "malformed JSON: " + e.getOriginalMessage());
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /*
     * A validator names the field as it knows it: an enum or task type its usual field ("type"), a
     * nested record its own component ("attempt"). Jackson's path says where the value really sat.
     * Budget already names itself "budget.max_turns", so a field that starts with the path is kept.
     */
    private static InvalidMessageException locate(InvalidMessageException ime, String path, JsonProcessingException e) {
        String field = ime.field();
        if (path.isEmpty() || field.equals(path) || field.startsWith(path + ".") || field.startsWith(path + "[")) {
            return ime;
        }
        boolean scalar = e instanceof ValueInstantiationException vie && isScalar(vie.getType().getRawClass());
        String prefix = field + ": ";
        String message = ime.getMessage();
        String problem = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
        InvalidMessageException located = new InvalidMessageException(scalar ? path : path + "." + field, problem);
        located.initCause(ime);
        return located;
    }

    private static boolean isScalar(Class<?> type) {
        return type.isEnum() || type == TaskType.class;
    }

    private static String describe(Class<?> type) {
        if (type == String.class || type.isEnum() || type == TaskType.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 timestamp string such as 2025-01-31T12:00:00Z";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }
}
