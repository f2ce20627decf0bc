package io.agentvine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;

/**
 * One column of a table: its header, how to get its cell from a row, and whether only {@code -o wide}
 * shows it.
 */
public record Column(String header, Function<JsonNode, String> cell, boolean wide) {

    /** A column showing a field (a JSON pointer such as {@code /metrics/cpu_percent}, or a field name). */
    public static Column of(String header, String field) {
        return new Column(header, row -> text(row, field), false);
    }

    public static Column wide(String header, String field) {
        return new Column(header, row -> text(row, field), true);
    }

    public static Column of(String header, Function<JsonNode, String> cell) {
        return new Column(header, cell, false);
    }

    public static Column wide(String header, Function<JsonNode, String> cell) {
        return new Column(header, cell, true);
    }

    /** A field as text: "" when absent, arrays joined with commas. */
    public static String text(JsonNode row, String field) {
        JsonNode n = field.startsWith("/") ? row.at(field) : row.path(field);
        if (n.isMissingNode() || n.isNull()) {
            return "";
        }
        if (n.isArray()) {
            StringBuilder b = new StringBuilder();
            n.forEach(e -> b.append(b.length() == 0 ? "" : ",").append(e.isValueNode() ? e.asText() : e.toString()));
            return b.toString();
        }
        return n.isValueNode() ? n.asText() : n.toString();
    }
}
