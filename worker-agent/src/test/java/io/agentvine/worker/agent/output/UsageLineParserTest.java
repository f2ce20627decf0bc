package io.agentvine.worker.agent.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.model.TokenUsage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageLineParserTest {
    @Test
    void usage_lines_add_up_each_counts_as_a_turn_and_lines_without_a_cost_are_priced() {
        UsageLineParser parser = new UsageLineParser("claude-sonnet-4-5", PriceTable.defaults());
        Fixtures.feed(parser, "usage-lines.txt");

        // 0.0123 as printed, plus the three unpriced lines at Sonnet's list price.
        double unpriced = (3548 * 3.0 + 892 * 15.0 + 11200 * 0.30) / 1e6;
        Fixtures.assertUsage(parser, new TokenUsage(1200 + 2048 + 900 + 300, 340 + 512 + 128 + 40, 5000 + 6200, 1500),
                0.0123 + unpriced, 4);
        assertThat(parser.verdict()).isEmpty();
    }

    @Test
    void other_lines_are_progress_trimmed_and_blank_lines_and_usage_lines_are_not() {
        List<String> progress = Fixtures.feed(new UsageLineParser(null, PriceTable.defaults()), "usage-lines.txt");

        assertThat(progress).containsExactly(
                "[demo-agent] reading task from /work/task.md",
                "Planning: 3 steps",
                "Editing src/main/java/App.java",
                "applied 1 hunk",
                "Token usage: input=lots, output=2",
                "Running tests: mvn -q test",
                "Tests run: 12, Failures: 0",
                "Done.");
    }

    @Test
    void with_an_unknown_model_only_the_printed_costs_count() {
        UsageLineParser parser = new UsageLineParser("in-house-llm", PriceTable.defaults());
        Fixtures.feed(parser, "usage-lines.txt");

        assertThat(parser.usage().costUsd()).isEqualTo(0.0123);
    }

    @Test
    void without_a_price_or_a_printed_cost_the_cost_is_unknown() {
        UsageLineParser parser = new UsageLineParser(null, PriceTable.of(Map.of()));
        parser.line("stdout", "Token usage: input=10, output=2");

        assertThat(parser.usage()).isEqualTo(new AgentUsage(new TokenUsage(10, 2, 0, 0), null, 1));
    }

    @Test
    void a_run_without_usage_lines_has_used_nothing_known() {
        UsageLineParser parser = new UsageLineParser("sonnet", PriceTable.defaults());
        parser.line("stdout", "hello");

        assertThat(parser.usage()).isEqualTo(AgentUsage.NONE);
    }

    @Test
    void fields_may_come_in_any_order_with_spaces_a_dollar_sign_and_unknown_names() {
        UsageLineParser parser = new UsageLineParser(null, PriceTable.of(Map.of()));
        parser.line("stderr", "  Token usage:  cache_creation = 7 ;output=3 model=x input=5 cost=$0.5 cache_read=11");

        assertThat(parser.usage()).isEqualTo(new AgentUsage(new TokenUsage(5, 3, 11, 7), 0.5, 1));
    }

    @Test
    void a_usage_line_with_a_bad_number_is_passed_on_as_text_and_counts_nothing() {
        UsageLineParser parser = new UsageLineParser(null, PriceTable.defaults());

        assertThat(parser.line("stdout", "Token usage: input=-5, output=2")).contains("Token usage: input=-5, output=2");
        assertThat(parser.line("stdout", "Token usage: cost=free")).contains("Token usage: cost=free");
        assertThat(parser.line("stdout", "Token usage: nothing to report")).contains("Token usage: nothing to report");
        assertThat(parser.usage()).isEqualTo(AgentUsage.NONE);
    }

    @Test
    void a_very_long_line_is_cut_to_the_progress_limit() {
        String line = "x".repeat(5000);

        assertThat(new UsageLineParser(null, PriceTable.defaults()).line("stdout", line))
                .hasValueSatisfying(p -> assertThat(p).hasSize(Progress.MAX_LINE).endsWith("…"));
    }
}
