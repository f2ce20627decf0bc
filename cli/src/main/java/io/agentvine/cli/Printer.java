package io.agentvine.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.agentvine.model.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Prints data on stdout in the chosen {@link Format} and messages on stderr. Tables fit the terminal's
 * width; colour (a bold header) only on a terminal without {@code NO_COLOR}.
 */
public final class Printer {
    static final ObjectMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build());

    private final Io io;
    private final Format format;

    public Printer(Io io, Format format) {
        this.io = io;
        this.format = format;
    }

    public Format format() {
        return format;
    }

    public boolean structured() {
        return format == Format.json || format == Format.yaml;
    }

    /** A list: a table of the columns (the wide ones with {@code -o wide}), or the data as JSON/YAML. */
    public void list(JsonNode rows, List<Column> columns) {
        if (structured()) {
            data(rows);
            return;
        }
        List<Column> shown = columns.stream().filter(c -> !c.wide() || format == Format.wide).toList();
        List<List<String>> cells = new ArrayList<>();
        rows.forEach(row -> cells.add(shown.stream().map(c -> c.cell().apply(row)).toList()));
        if (cells.isEmpty()) {
            message("nothing to show");
            return;
        }
        Table.render(shown.stream().map(Column::header).toList(), cells, io.width(), io.colour()).forEach(io.out()::println);
        io.out().flush();
    }

    /** One object: {@code field: value} lines (nested values as compact JSON), or the data as JSON/YAML. */
    public void object(JsonNode node) {
        if (structured()) {
            data(node);
            return;
        }
        int width = 0;
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            width = Math.max(width, names.next().length());
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode v = e.getValue();
            String text = v.isValueNode() ? v.asText() : Json.write(v);
            io.out().println(Table.fit(String.format("%-" + width + "s  %s", e.getKey(), text), Math.max(io.width(), 40)));
        }
        io.out().flush();
    }

    /** The data itself, as JSON (pretty) or YAML; with a table format, as JSON. */
    public void data(JsonNode node) {
        io.out().print(render(node, format == Format.yaml));
        io.out().flush();
    }

    /** Parses YAML (or JSON, which YAML reads too) into a tree; a syntax error is a usage error. */
    public static JsonNode yamlTree(String text) {
        try {
            return YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CliException(ExitCodes.USAGE, "bad_file", "file", "not YAML: " + e.getOriginalMessage(), 0);
        }
    }

    static String render(JsonNode node, boolean yaml) {
        try {
            return yaml ? YAML.writeValueAsString(node) : Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print " + node.getNodeType(), e);
        }
    }

    /** A line for people, on stderr. */
    public void message(String text) {
        io.err().println(text);
        io.err().flush();
    }

    /** An error on stderr: the API's {@code error}, {@code field} and {@code message} as JSON with -o json/yaml. */
    public void error(CliException e) {
        if (structured()) {
            ObjectNode body = Json.mapper().createObjectNode();
            body.put("error", e.error());
            if (e.field() != null) {
                body.put("field", e.field());
            }
            body.put("message", e.getMessage());
            if (e.status() > 0) {
                body.put("status", e.status());
            }
            body.put("exit_code", e.exitCode());
            io.err().print(render(body, format == Format.yaml));
        } else {
            io.err().println("error: " + (e.field() != null ? e.field() + ": " : "") + e.getMessage());
        }
        io.err().flush();
    }
}
