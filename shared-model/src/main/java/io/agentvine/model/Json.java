package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.temporal.Temporal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one JSON configuration of the contract: snake_case names, ISO-8601 instants, unknown fields
 * ignored, nulls omitted, floats in metadata kept exact, nothing accepted after the message, exact
 * types (no coercion between strings, numbers and booleans; an integer is written as one), no field
 * twice. Controller and workers must both use it (the controller's Jackson is configured the same way).
 * {@link #readStrict} also refuses unknown fields, for bodies written by hand.
 */
public final class Json {
    private static final ObjectMapper MAPPER = configure(new JsonMapper());
    private static final ObjectMapper STRICT = configure(new JsonMapper())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setAnnotationIntrospector(new UnknownFieldsRefused());
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'");

    private Json() {
    }

    /**
     * Applies the contract's settings to {@code mapper}: the one place the JSON of AgentVine is
     * configured. Frameworks configure their own mapper with it (the controller's Micronaut mapper).
     */
    @SuppressWarnings("deprecation") // ObjectMapper.configure(MapperFeature, …): the mapper exists already, no builder
    public static <M extends ObjectMapper> M configure(M mapper) {
        mapper.registerModule(new JavaTimeModule());
        mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.getFactory().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
        // Error messages never quote the message they are about.
        mapper.getFactory().disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION.mappedFeature());
        // Exact types: "3" is not 3, 2.5 and 3.0 are not integers, 0 is neither "0" nor false.
        mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        // Instants are ISO-8601 strings, not epoch numbers (JavaTimeModule takes both).
        mapper.registerModule(new SimpleModule("iso-instants").addDeserializer(Instant.class, new IsoInstants()));
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.DateTime)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        // Without it "{...} garbage" or two concatenated messages read as the first one.
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        // Trees too: 19.990 stays 19.990 for code that inspects a message as a JsonNode.
        mapper.configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
        // Null properties are omitted; null values inside metadata maps are data and are kept.
        mapper.setDefaultPropertyInclusion(
                JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.ALWAYS));
        return mapper;
    }

    /** {@link #configure(ObjectMapper)} for a mapper still being built (the builder holds the mapper it builds). */
    public static JsonMapper.Builder configure(JsonMapper.Builder builder) {
        configure(builder.build());
        return builder;
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
        return parse(json, () -> MAPPER.readValue(json, type));
    }

    /**
     * Parses a body written by hand (an operator's request, a worker's own report): like {@link #read},
     * and a field the type does not have is refused, at any depth, although the contract's records
     * ignore unknown fields for messages between versions.
     */
    public static <T> T readStrict(String json, Class<T> type) {
        return readStrict(readTree(json), type);
    }

    /** Parses JSON into a tree, with {@link #read}'s checks and messages; for a body inspected before it is read. */
    public static JsonNode readTree(String json) {
        return parse(json, () -> MAPPER.readTree(json));
    }

    /** {@link #readStrict(String, Class)} for a body already parsed with {@link #readTree}. */
    public static <T> T readStrict(JsonNode tree, Class<T> type) {
        return convert(() -> {
            // Jackson reports unknown fields only after the record's constructor ran: look first, so a
            // misspelled field is named rather than the required one it was meant to be.
            refuseUnknownFields(tree, STRICT.constructType(type), "");
            return STRICT.treeToValue(tree, type);
        });
    }

    /** {@link #read(String, Class)} for a body already parsed with {@link #readTree}. */
    public static <T> T read(JsonNode tree, Class<T> type) {
        return convert(() -> MAPPER.treeToValue(tree, type));
    }

    private interface Reading<T> {
        T read() throws JsonProcessingException;
    }

    private static <T> T parse(String json, Reading<T> reading) {
        if (json == null || json.isBlank()) {
            throw new InvalidMessageException("body", "is empty");
        }
        return convert(json, reading);
    }

    private static <T> T convert(Reading<T> reading) {
        return convert(null, reading);
    }

    /** @param json the text being parsed, to place a size limit's breach in it; null for a tree */
    private static <T> T convert(String json, Reading<T> reading) {
        try {
            T value = reading.read();
            if (value == null) {
                throw new InvalidMessageException("body", "is null");
            }
            return value;
        } catch (StreamConstraintsException e) {
            throw new InvalidMessageException(json == null ? "body" : beyondLimits(json), e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw explain(e);
        }
    }

    /** A record's fields by JSON name; introspection is costly, and a body type has a few records at most. */
    private static final Map<JavaType, Map<String, JavaType>> RECORD_FIELDS = new ConcurrentHashMap<>();

    private static Map<String, JavaType> recordFields(JavaType type) {
        Map<String, JavaType> fields = new TreeMap<>();
        for (BeanPropertyDefinition p : STRICT.getDeserializationConfig().introspect(type).findProperties()) {
            if (p.getConstructorParameter() != null) {
                fields.put(p.getName(), p.getConstructorParameter().getType());
            }
        }
        return Collections.unmodifiableMap(fields);
    }

    private static void refuseUnknownFields(JsonNode node, JavaType type, String path) {
        if (node == null || type.isContainerType() && !type.isCollectionLikeType()) {
            return; // maps (metadata) are open
        }
        if (type.isCollectionLikeType()) {
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    refuseUnknownFields(node.get(i), type.getContentType(), path + "[" + i + "]");
                }
            }
            return;
        }
        Class<?> raw = type.getRawClass();
        if (!node.isObject() || !raw.isRecord()) {
            return;
        }
        Map<String, JavaType> fields = RECORD_FIELDS.computeIfAbsent(type, Json::recordFields);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            JavaType fieldType = fields.get(e.getKey());
            if (fieldType == null) {
                throw new InvalidMessageException(field, "is not a field here; the fields are " + String.join(", ", fields.keySet()));
            }
            refuseUnknownFields(e.getValue(), fieldType, field);
        }
    }

    /** Only a string is read as an instant. */
    private static final class IsoInstants extends StdDeserializer<Instant> {
        private static final long serialVersionUID = 1L;

        IsoInstants() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
            }
            return InstantDeserializer.INSTANT.deserialize(p, ctxt);
        }
    }

    /** Drops {@code ignoreUnknown} from {@code @JsonIgnoreProperties}, so FAIL_ON_UNKNOWN_PROPERTIES applies. */
    private static final class UnknownFieldsRefused extends JacksonAnnotationIntrospector {
        private static final long serialVersionUID = 1L;

        @Override
        public JsonIgnoreProperties.Value findPropertyIgnoralByName(MapperConfig<?> config, Annotated a) {
            return super.findPropertyIgnoralByName(config, a).withoutIgnoreUnknown();
        }
    }

    /**
     * Turns a Jackson failure into the contract's exception, keeping a validation message when there is
     * one. The field is the value's place in the message ({@code current_tasks[0].attempt},
     * {@code task_type}), not just the name the failing type knows for itself.
     */
    public static InvalidMessageException explain(JsonProcessingException e) {
        String path = e instanceof JsonMappingException jme ? path(jme) : parserPath(e);
        if (e.getCause() instanceof JsonProcessingException parsing && !(parsing instanceof JsonMappingException)
                && !parserPath(parsing).isEmpty()) {
            e = parsing; // a repeated field or an out-of-range number deep inside: the parser knows where
            path = parserPath(parsing);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidMessageException ime) {
                return locate(ime, path, e);
            }
        }
        if (!path.isEmpty()) {
            String problem;
            if (e instanceof UnrecognizedPropertyException upe) {
                problem = "is not a field here; the fields are " + upe.getKnownPropertyIds().stream()
                        .map(String::valueOf).sorted().collect(Collectors.joining(", "));
            } else if (e instanceof InputCoercionException) {
                problem = "is out of range";
            } else if (!(e instanceof JsonMappingException)) {
                problem = e.getOriginalMessage();
            } else if (e instanceof InvalidFormatException ife) {
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

    /**
     * The top-level field holding a name, string or nesting beyond the parser's limits (the exception
     * does not say where): the same parser, token by token, stops at the same place.
     */
    private static String beyondLimits(String json) {
        JsonParser p = null;
        try {
            p = MAPPER.createParser(json);
            while (p.nextToken() != null) {
                // read on until the limit is hit
            }
        } catch (IOException e) {
            JsonPointer where = p == null ? JsonPointer.empty() : p.getParsingContext().pathAsPointer();
            if (!where.matches()) {
                return where.getMatchingIndex() >= 0 ? "[" + where.getMatchingIndex() + "]" : where.getMatchingProperty();
            }
        } finally {
            if (p != null) {
                try {
                    p.close();
                } catch (IOException ignored) {
                    // a parser over a string holds nothing to release
                }
            }
        }
        return "body";
    }

    /** Where the parser stood, for an out-of-range number or a repeated field (no mapping path then). */
    private static String parserPath(JsonProcessingException e) {
        if (!(e.getProcessor() instanceof JsonParser p)) {
            return "";
        }
        String pointer;
        Matcher duplicate = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
        if (duplicate.matches()) {
            JsonStreamContext object = p.getParsingContext();
            pointer = (object.getParent() == null ? "" : object.getParent().pathAsPointer().toString())
                    + "/" + duplicate.group(1);
        } else if (e instanceof InputCoercionException) {
            pointer = p.getParsingContext().pathAsPointer().toString();
        } else {
            return "";
        }
        return pointer.replaceAll("/(\\d+)(?=/|$)", "[$1]")
                .replace('/', '.').replaceFirst("^\\.", "").replace(".[", "[");
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
        if (Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }
}
