package io.agentvine.controller.input;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentvine.model.InvalidMessageException;
import io.agentvine.model.Json;
import io.agentvine.model.Schema;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads a request body into its type: UTF-8, exact JSON types, no string a database cannot store (NUL,
 * half a surrogate pair), and no unknown field. A worker's own message is the exception: when its
 * {@code schema_version} is newer than this controller's, fields this version does not know are
 * ignored, so an upgraded worker still talks to an older controller.
 */
public final class RequestBodies {
    private RequestBodies() {
    }

    /** A body an operator writes: unknown fields always refused. */
    public static <T> T operator(byte[] body, Class<T> type) {
        JsonNode tree = Json.readTree(utf8(body));
        storable(tree, "");
        return Json.readStrict(tree, type);
    }

    /** A worker's registration or heartbeat: unknown fields refused unless its schema is newer than ours. */
    public static <T> T worker(byte[] body, Class<T> type) {
        JsonNode tree = Json.readTree(utf8(body));
        storable(tree, "");
        JsonNode version = tree.get("schema_version");
        boolean newer = version != null && version.isIntegralNumber()
                && version.bigIntegerValue().compareTo(BigInteger.valueOf(Schema.VERSION)) > 0;
        return newer ? Json.read(tree, type) : Json.readStrict(tree, type);
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidMessageException("body", "is not valid UTF-8");
        }
    }

    private static void storable(JsonNode node, String path) {
        if (node.isTextual()) {
            int at = Texts.unstorable(node.textValue());
            if (at >= 0) {
                throw new InvalidMessageException(path.isEmpty() ? "body" : path,
                        "contains a NUL character or half a surrogate pair at " + at + "; neither can be stored");
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String field = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                if (Texts.unstorable(e.getKey()) >= 0) {
                    throw new InvalidMessageException(path.isEmpty() ? "body" : path,
                            "has a field name with a NUL character or half a surrogate pair");
                }
                storable(e.getValue(), field);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                storable(node.get(i), path + "[" + i + "]");
            }
        }
    }
}
