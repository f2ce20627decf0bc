package io.agentvine.worker.agent.output;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutputParsersTest {
    private final PriceTable prices = PriceTable.defaults();

    @Test
    void each_adapter_gets_the_parser_for_its_output_format() {
        assertThat(OutputParsers.forAdapter("claude-code", "sonnet", prices)).isInstanceOf(ClaudeStreamJsonParser.class);
        assertThat(OutputParsers.forAdapter("codex", "gpt-5-codex", prices)).isInstanceOf(CodexJsonParser.class);
        assertThat(OutputParsers.forAdapter("aider", null, prices)).isInstanceOf(AiderOutputParser.class);
        assertThat(OutputParsers.forAdapter("command", null, prices)).isInstanceOf(UsageLineParser.class);
        assertThat(OutputParsers.forAdapter(null, null, prices)).isInstanceOf(UsageLineParser.class);
    }

    @Test
    void every_call_makes_a_fresh_parser_for_a_fresh_run() {
        OutputParser first = OutputParsers.forAdapter("codex", "gpt-5", prices);
        first.line("stdout", "{\"type\":\"turn.started\"}");

        assertThat(OutputParsers.forAdapter("codex", "gpt-5", prices).usage()).isEqualTo(AgentUsage.NONE);
    }

    @Test
    void the_parser_prices_with_the_model_it_was_given() {
        OutputParser parser = OutputParsers.forAdapter(" Claude-Code ", "haiku", prices);
        parser.line("stdout", "{\"type\":\"assistant\",\"message\":{\"id\":\"m1\",\"content\":[],"
                + "\"usage\":{\"input_tokens\":1000000,\"output_tokens\":0}}}");

        assertThat(parser.usage().costUsd()).isEqualTo(1.00);
    }
}
