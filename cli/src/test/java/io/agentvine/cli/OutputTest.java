package io.agentvine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.model.Json;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tables fit the width; colour only on a terminal without NO_COLOR; YAML and JSON print the data itself. */
class OutputTest {
    private final StringWriter out = new StringWriter();

    private Printer printer(Map<String, String> env, boolean terminal, Format format) {
        return new Printer(new Io(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
                new ByteArrayInputStream(new byte[0]), env, terminal, Clock.systemUTC()), format);
    }

    @Test
    void a_table_fits_the_width_and_cuts_the_widest_column_with_an_ellipsis() {
        List<String> lines = Table.render(List.of("ID", "TITLE"),
                List.of(List.of("t-1", "a very long title that cannot fit in a narrow terminal at all"), List.of("t-22", "short")), 30, false);
        assertThat(lines).hasSize(3).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(30));
        assertThat(lines.get(0)).startsWith("ID    TITLE");
        assertThat(lines.get(1)).startsWith("t-1   a very long").endsWith("…");
        assertThat(lines.get(2)).isEqualTo("t-22  short");
    }

    @Test
    void the_first_column_keeps_its_width() {
        List<String> lines = Table.render(List.of("ID", "TITLE"),
                List.of(List.of("t-9b8f8a04-e8bd-4f29-a7d3-79b9a04c989d", "Document greet.sh and its tests")), 50, false);
        assertThat(lines.get(1)).startsWith("t-9b8f8a04-e8bd-4f29-a7d3-79b9a04c989d  Document").endsWith("…").hasSize(50);
    }

    @Test
    void colour_only_on_a_terminal_and_never_with_no_color() {
        var rows = Json.mapper().createArrayNode();
        rows.addObject().put("id", "t-1");
        List<Column> cols = List.of(Column.of("ID", "id"));
        printer(Map.of(), true, Format.table).list(rows, cols);
        assertThat(out.toString()).contains("\u001b[1mID");
        out.getBuffer().setLength(0);
        printer(Map.of("NO_COLOR", "1"), true, Format.table).list(rows, cols);
        assertThat(out.toString()).doesNotContain("\u001b[").startsWith("ID");
        out.getBuffer().setLength(0);
        printer(Map.of(), false, Format.table).list(rows, cols);
        assertThat(out.toString()).doesNotContain("\u001b[");
    }

    @Test
    void the_width_comes_from_columns_else_80() {
        Io io = VineRun.io(Path.of("unused"));
        assertThat(io.width()).isEqualTo(80);
        assertThat(new Io(io.out(), io.err(), io.in(), Map.of("COLUMNS", "132"), false, io.clock()).width()).isEqualTo(132);
        assertThat(new Io(io.out(), io.err(), io.in(), Map.of("COLUMNS", "wide"), false, io.clock()).width()).isEqualTo(80);
    }

    @Test
    void json_and_yaml_print_the_data_itself() {
        var node = Json.mapper().createObjectNode().put("id", "t-1").put("cost_usd", 0.25);
        printer(Map.of(), false, Format.yaml).data(node);
        assertThat(out.toString()).isEqualTo("id: t-1\ncost_usd: 0.25\n");
        out.getBuffer().setLength(0);
        printer(Map.of(), false, Format.json).data(node);
        assertThat(Json.readTree(out.toString()).toString()).isEqualTo("{\"id\":\"t-1\",\"cost_usd\":0.25}");
    }
}
