package io.agentvine.model;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;

/** Test helpers that work on the JSON form of messages, the way another agent would see them. */
final class Wire {
    private Wire() {
    }

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T value) {
        return Json.read(Json.write(value), (Class<T>) value.getClass());
    }

    static JsonNode tree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError("test JSON is malformed: " + json, e);
        }
    }

    static ObjectNode tree(Object value) {
        return (ObjectNode) tree(Json.write(value));
    }

    /** The JSON of {@code value} after {@code edit}. */
    static String edited(Object value, Consumer<ObjectNode> edit) {
        ObjectNode tree = tree(value);
        edit.accept(tree);
        return tree.toString();
    }

    /**
     * The JSON of {@code value} with the field at {@code path} ("a.b", "a[0].b") set to the JSON
     * {@code rawValue}, or removed when {@code rawValue} is null.
     */
    static String with(Object value, String path, String rawValue) {
        return edited(value, root -> {
            String[] steps = path.split("\\.");
            ObjectNode parent = root;
            for (int i = 0; i < steps.length - 1; i++) {
                parent = (ObjectNode) step(parent, steps[i]);
            }
            String last = steps[steps.length - 1];
            if (rawValue == null) {
                parent.remove(last);
            } else {
                parent.set(last, tree(rawValue));
            }
        });
    }

    private static JsonNode step(ObjectNode node, String step) {
        int bracket = step.indexOf('[');
        if (bracket < 0) {
            return node.get(step);
        }
        ArrayNode array = (ArrayNode) node.get(step.substring(0, bracket));
        return array.get(Integer.parseInt(step.substring(bracket + 1, step.length() - 1)));
    }

    /** Reads {@code json} as {@code type} and returns the rejection; fails the test if it was accepted. */
    static InvalidMessageException rejection(String json, Class<?> type) {
        InvalidMessageException e = catchThrowableOfType(InvalidMessageException.class, () -> Json.read(json, type));
        if (e == null) {
            throw new AssertionError("expected " + type.getSimpleName() + " to reject " + json);
        }
        return e;
    }
}
