package io.agentvine.controller;

import io.agentvine.controller.TestHttp.Reply;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Generates bad requests for the fuzz test from a seed: one thing wrong (or odd) per request, in a
 * body field, the body as a whole, a path variable, a query value or a header, so each refusal can be
 * expected to name exactly that place.
 */
final class ApiFuzz {
    /** What a JSON field holds: wrong-type values are drawn from the other kinds. */
    enum Kind { TEXT, INT, NUMBER, BOOL, MAP, LIST, OBJECT }

    /**
     * One generated request.
     *
     * @param fields     the fields a refusal may name (empty: any field, but one must be named)
     * @param mustRefuse the request is invalid by construction, so a 2xx is a failure
     * @param onAccepted checks a 2xx answer is valid (e.g. what was stored equals what was sent);
     *                   null when any 2xx is a failure
     */
    record Case(String label, String method, String path, String key, byte[] body, Map<String, String> headers,
                Set<String> fields, boolean mustRefuse, Consumer<Reply> onAccepted) {
    }

    static final List<String> NASTY_TEXT = List.of("", " ", "\n", "\t", "\u0000", "a\u0000b", "a\u0007b", "\u001b[31m",
            StrictInputApiTest.LONE_SURROGATE, "\u202eevil", "\ufeff", "😀", "ＡＢＣ", "' OR 1=1 --", "<script>x</script>",
            "../../etc/passwd", "HEAD", "-x", "--upload-pack=touch x", "%00", "${jndi:ldap://x}", "a..b", "x".repeat(300),
            "y".repeat(2100), "z".repeat(100_001), "null", "true", "0", "P0", "main", "feature", "a/b");
    static final List<Object> NASTY_INTS = List.of(-1, 0, 1, 3, 64, 65, 100, 101, 2147483647, 2147483648L, -2147483649L,
            9223372036854775807L, new BigDecimal("1e400"), 1.0, 2.5, -0.0, new BigDecimal("1E2"));
    static final List<Object> NASTY_NUMBERS = List.of(-1, 0, 0.0001, 1.5, 1e308, new BigDecimal("1e400"),
            new BigDecimal("-1e-400"), 5);
    static final List<String> RAW_BODIES = List.of("", " ", "null", "[]", "[{}]", "\"x\"", "42", "true", "{", "{\"title\":}",
            "{\"a\":1} {\"a\":2}", "{\"a\":1}x", "{'a':1}", "{a:1}", "{\"title\":\"x\",\"title\":\"y\"}", "\u0000",
            "{\"title\":\"\\ud800\"}", "{\"title\":\"\\u0000\"}", "{\"title\":NaN}", "{\"max_attempts\":Infinity}",
            "{\"title\":\"x\" /* c */}", "[".repeat(2000), "{\"m\":".repeat(2000), "\ufeff{}", "{\"x\":1e99999999}");
    static final List<String> NASTY_IDS = List.of(" ", "a b", "..", ".", "x".repeat(129), "<x>", "a;b", "é", "a'b", "a\"b",
            "\u0000", "%", "a%2Fb", "w-" + "0".repeat(40), "t-unknown", "c-unknown", "ok-id_1.2:3", "\ud83d\ude00", "*",
            "?", "#", "a\\b", "${x}", "-1", "0");
    static final List<String> CONTENT_TYPES = List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "application/json; charset=utf-16", "application/json; charset=latin1",
            "*/*", "application/octet-stream", "application/json-patch+json", "garbage");

    private final Random random;

    ApiFuzz(long seed) {
        this.random = new Random(seed);
    }

    <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    /** A value of the wrong JSON type for a field of {@code kind}. */
    Object wrongType(Kind kind) {
        List<Object> candidates = new ArrayList<>();
        if (kind != Kind.TEXT) {
            candidates.addAll(List.of("3", "", "true", "x"));
        }
        if (kind != Kind.INT && kind != Kind.NUMBER) {
            candidates.addAll(List.of(0, -1, 7));
        }
        if (kind != Kind.NUMBER) {
            candidates.addAll(List.of(2.5, 1e10));
        }
        if (kind != Kind.BOOL) {
            candidates.addAll(List.of(true, false));
        }
        if (kind != Kind.MAP && kind != Kind.OBJECT) {
            candidates.addAll(List.of(Map.of(), Map.of("a", 1)));
        }
        if (kind != Kind.LIST) {
            candidates.addAll(List.of(List.of(), List.of("x"), List.of(1)));
        }
        if (kind == Kind.INT) {
            candidates.addAll(List.of(3.0, 2.5, new BigDecimal("1e400")));
        }
        return pick(candidates);
    }

    /** A mutated copy of {@code base}: one field set to {@code value} (dotted paths reach nested objects). */
    static Map<String, Object> set(Map<String, Object> base, String path, Object value) {
        return StrictInputApiTest.with(base, path, value);
    }

    static Map<String, Object> copy(Map<String, Object> m) {
        return new LinkedHashMap<>(m);
    }

    String unknownName() {
        return pick(List.of("test_comand", "titel", "x", "__proto__", "constructor", "Title", "title ", "budget_usd",
                "extra", "schema"));
    }
}
