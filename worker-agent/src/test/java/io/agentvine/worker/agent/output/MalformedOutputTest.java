package io.agentvine.worker.agent.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.agentvine.model.TokenUsage;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Whatever an agent prints, a parser neither throws nor counts garbage as usage. */
class MalformedOutputTest {
    private static final List<String> GARBAGE = List.of(
            "", "   ", "{", "{\"type\":", "}", "[1,2,3]", "null", "42", "\"text\"", "{} {}", "{\"a\":1}garbage",
            "\u0000\u0001 binary \uFFFD",
            "{\"type\":null}", "{\"type\":42}", "{\"type\":\"assistant\"}",
            "{\"type\":\"assistant\",\"message\":\"text\"}",
            "{\"type\":\"assistant\",\"message\":{\"content\":\"not an array\",\"usage\":{\"input_tokens\":\"many\","
                    + "\"output_tokens\":-5,\"cache_read_input_tokens\":1e300,\"cache_creation_input_tokens\":1e400}}}",
            "{\"type\":\"assistant\",\"message\":{\"id\":7,\"content\":[null,1,{\"type\":\"tool_use\"},"
                    + "{\"type\":\"text\",\"text\":null}],\"usage\":[]}}",
            "{\"type\":\"user\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"is_error\":true,\"content\":{\"x\":1}}]}}",
            "{\"type\":\"system\",\"subtype\":\"api_retry\",\"attempt\":\"x\",\"error_status\":-1}",
            "{\"type\":\"item.completed\",\"item\":null}",
            "{\"type\":\"item.completed\",\"item\":{\"type\":\"file_change\",\"changes\":\"x\"}}",
            "{\"type\":\"item.updated\",\"item\":{\"type\":\"todo_list\",\"items\":[1,{\"completed\":\"yes\"}]}}",
            "{\"type\":\"item.started\",\"item\":{\"type\":\"command_execution\",\"command\":[\"ls\"]}}",
            "{\"type\":\"turn.failed\",\"error\":\"text\"}", "{\"type\":\"error\"}",
            "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":1e400,"
                    + "\"cached_input_tokens\":99999999999999999999999,\"output_tokens\":\"x\"}}",
            "{\"type\":\"result\",\"subtype\":null,\"num_turns\":-3,\"total_cost_usd\":\"free\",\"usage\":\"none\"}",
            "{\"type\":\"result\",\"modelUsage\":{\"m\":null,\"n\":{\"inputTokens\":9223372036854775807,"
                    + "\"costUSD\":-1}},\"api_error_status\":\"529\"}",
            "Token usage: input=99999999999999999999, output=1", "Token usage: input=1e5", "Token usage: =, ,=");

    static Stream<OutputParser> parsers() {
        return Stream.concat(jsonParsers(), Stream.of(new UsageLineParser("sonnet", PriceTable.defaults())));
    }

    static Stream<OutputParser> jsonParsers() {
        PriceTable prices = PriceTable.defaults();
        return Stream.of(new ClaudeStreamJsonParser("sonnet", prices), new CodexJsonParser("gpt-5", prices));
    }

    @ParameterizedTest
    @MethodSource("parsers")
    void garbage_lines_never_throw_and_count_as_no_usage(OutputParser parser) {
        for (String stream : List.of(OutputParser.STDOUT, OutputParser.STDERR)) {
            for (String line : GARBAGE) {
                assertThatCode(() -> parser.line(stream, line)).as(line).doesNotThrowAnyException();
            }
        }
        assertThatCode(() -> parser.line(OutputParser.STDOUT, null)).doesNotThrowAnyException();

        TokenUsage tokens = parser.usage().tokens();
        assertThat(tokens.total()).isZero();
        assertThatCode(parser::verdict).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @MethodSource("jsonParsers")
    void a_line_that_only_looks_like_json_is_not_shown_as_progress(OutputParser parser) {
        assertThat(parser.line(OutputParser.STDOUT, "{\"type\":\"assistant\",\"message\":{\"content\":[")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("jsonParsers")
    void the_pieces_of_a_cut_over_long_event_are_skipped(OutputParser parser) {
        String first = "{\"type\":\"user\",\"message\":{\"content\":\"" + "x".repeat(JsonLinesParser.PIECE_CHARS);
        String piece = first.substring(0, JsonLinesParser.PIECE_CHARS);

        assertThat(parser.line(OutputParser.STDOUT, piece)).isEmpty();
        assertThat(parser.line(OutputParser.STDOUT, "x".repeat(JsonLinesParser.PIECE_CHARS))).isEmpty();
        assertThat(parser.line(OutputParser.STDERR, "meanwhile on stderr")).contains("meanwhile on stderr");
        assertThat(parser.line(OutputParser.STDOUT, "xxxx\"}}")).isEmpty();
        assertThat(parser.line(OutputParser.STDOUT, "next line")).contains("next line");
    }
}
