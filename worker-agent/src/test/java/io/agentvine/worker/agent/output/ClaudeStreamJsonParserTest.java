package io.agentvine.worker.agent.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.agentvine.model.TokenUsage;
import io.agentvine.worker.agent.output.AgentVerdict.Kind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClaudeStreamJsonParserTest {
    private static final double CENT_FRACTION = 1e-12;

    private static ClaudeStreamJsonParser parser() {
        return new ClaudeStreamJsonParser("sonnet", PriceTable.defaults());
    }

    @Test
    void a_successful_run_reports_the_result_messages_usage_cost_and_turns() {
        ClaudeStreamJsonParser parser = parser();
        Fixtures.feed(parser, "claude-success.jsonl");

        // modelUsage: Opus 4.5 and Haiku 4.5 side calls plus the Sonnet 4.5 conversation.
        Fixtures.assertUsage(parser, new TokenUsage(4 + 2 + 10, 147 + 267 + 1384, 74104, 22959 + 14934 + 15517),
                0.26840319999999995, 4);
        assertThat(parser.verdict()).hasValueSatisfying(v -> {
            assertThat(v.kind()).isEqualTo(Kind.SUCCESS);
            assertThat(v.message()).startsWith("The test has been updated.");
            assertThat(v.apiErrorStatus()).isNull();
        });
    }

    @Test
    void before_the_result_each_api_message_counts_once_although_every_content_block_repeats_its_usage() {
        ClaudeStreamJsonParser parser = parser();
        List<String> lines = Fixtures.lines("claude-success.jsonl");
        Fixtures.feed(parser, lines.subList(0, lines.size() - 1));

        // Exactly the CLI's own Sonnet numbers in modelUsage: three messages, not eight events.
        Fixtures.assertUsage(parser, new TokenUsage(10, 1384, 74104, 15517), 0.10120994999999999, 3);
        assertThat(parser.verdict()).isEmpty();
    }

    @Test
    void the_result_replaces_the_running_sum_and_incremental_deltas_never_go_negative() {
        ClaudeStreamJsonParser parser = parser();
        List<String> lines = Fixtures.lines("claude-api-error-reported-as-success.jsonl");
        Fixtures.feed(parser, lines.subList(0, lines.size() - 1));
        AgentUsage running = parser.usage();

        Fixtures.feed(parser, lines.subList(lines.size() - 1, lines.size()));
        AgentUsage fin = parser.usage();

        assertThat(fin.tokens()).isEqualTo(running.tokens());
        assertThat(fin.costUsd()).isEqualTo(0.02394885);
        AgentUsage delta = fin.minus(running);
        assertThat(delta.tokens()).isEqualTo(TokenUsage.ZERO);
        assertThat(delta.turns()).isEqualTo(1);
        assertThat(delta.costUsd()).isCloseTo(0.0, within(CENT_FRACTION));
    }

    @Test
    void a_run_that_hit_max_turns_reports_max_turns_with_its_cost() {
        ClaudeStreamJsonParser parser = parser();
        Fixtures.feed(parser, "claude-error-max-turns.jsonl");

        Fixtures.assertUsage(parser, new TokenUsage(2409, 15946, 1617801, 29104), 1.4020935000000005, 41);
        assertThat(parser.verdict()).contains(
                new AgentVerdict(Kind.MAX_TURNS, "Reached maximum number of turns (40)", null));
    }

    @Test
    void an_api_error_reported_with_subtype_success_is_an_api_error_with_its_status() {
        ClaudeStreamJsonParser parser = parser();
        List<String> progress = Fixtures.feed(parser, "claude-api-error-reported-as-success.jsonl");

        assertThat(parser.verdict()).hasValueSatisfying(v -> {
            assertThat(v.kind()).isEqualTo(Kind.API_ERROR);
            assertThat(v.apiErrorStatus()).isEqualTo(529);
            assertThat(v.message()).startsWith("API Error: 529 Overloaded.");
        });
        Fixtures.assertUsage(parser, new TokenUsage(3, 187, 13937, 4521), 0.02394885, 2);
        assertThat(progress).contains("API retry 1/10, HTTP 529, overloaded",
                "tool error: [ERROR] Tests run: 14, Failures: 1, Errors: 0, Skipped: 0 [ERROR] "
                        + "OrderServiceTest.rejects_negative_quantities:41 expected: <400> but was: <500>");
        assertThat(progress.get(progress.size() - 1)).startsWith("result: api_error 529, 2 turns, $0.0239: API Error");
    }

    @Test
    void an_api_error_that_only_the_result_text_reveals_is_still_an_api_error() {
        // Before CLI 2.1.110 there was no api_error_status, and is_error could read false.
        ClaudeStreamJsonParser parser = parser();
        parser.line("stdout", "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"num_turns\":1,"
                + "\"result\":\"API Error: 500 {\\\"type\\\":\\\"error\\\",\\\"error\\\":{\\\"type\\\":\\\"api_error\\\","
                + "\\\"message\\\":\\\"Internal server error\\\"}}\",\"total_cost_usd\":0}");

        assertThat(parser.verdict()).hasValueSatisfying(v -> {
            assertThat(v.kind()).isEqualTo(Kind.API_ERROR);
            assertThat(v.apiErrorStatus()).isEqualTo(500);
        });
    }

    @Test
    void is_error_on_a_success_without_any_api_error_sign_is_an_error() {
        ClaudeStreamJsonParser parser = parser();
        parser.line("stdout", "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":true,"
                + "\"result\":\"Invalid API key · Please run /login\"}");

        assertThat(parser.verdict()).contains(new AgentVerdict(Kind.ERROR, "Invalid API key · Please run /login", null));
    }

    @Test
    void error_subtypes_map_to_their_kinds() {
        assertThat(verdictOf("{\"type\":\"result\",\"subtype\":\"error_max_budget_usd\",\"is_error\":true,"
                + "\"errors\":[\"Reached maximum budget ($0.5)\"]}"))
                .isEqualTo(new AgentVerdict(Kind.BUDGET_EXCEEDED, "Reached maximum budget ($0.5)", null));
        assertThat(verdictOf("{\"type\":\"result\",\"subtype\":\"error_during_execution\",\"is_error\":true}"))
                .isEqualTo(new AgentVerdict(Kind.ERROR, "error_during_execution", null));
        assertThat(verdictOf("{\"type\":\"result\",\"subtype\":\"error_during_execution\",\"is_error\":true,"
                + "\"api_error_status\":429,\"result\":\"API Error: 429 rate limited\"}"))
                .isEqualTo(new AgentVerdict(Kind.API_ERROR, "API Error: 429 rate limited", 429));
    }

    private static AgentVerdict verdictOf(String resultLine) {
        ClaudeStreamJsonParser parser = parser();
        parser.line("stdout", resultLine);
        return parser.verdict().orElseThrow();
    }

    @Test
    void a_run_killed_before_its_result_has_no_verdict_but_priced_usage_from_its_messages() {
        ClaudeStreamJsonParser parser = parser();
        Fixtures.feed(parser, "claude-missing-result.jsonl");

        assertThat(parser.verdict()).isEmpty();
        // Sonnet 4.5 list prices: $3 in, $15 out, $0.30 cache read, $3.75 cache write per million.
        Fixtures.assertUsage(parser, new TokenUsage(1 + 5, 156 + 1024, 17632 + 24840, 7208 + 6792),
                (6 * 3 + 1180 * 15 + 42472 * 0.30 + 14000 * 3.75) / 1e6, 2);
    }

    @Test
    void old_field_names_are_read_and_missing_turns_and_usage_come_from_the_messages() {
        ClaudeStreamJsonParser parser = parser();
        Fixtures.feed(parser, "claude-old-field-names.jsonl");

        Fixtures.assertUsage(parser, new TokenUsage(4 + 7 + 5, 118 + 284 + 61, 10371 + 14183 + 15216, 3812 + 1033 + 402),
                0.0412, 3);
        assertThat(parser.verdict()).contains(
                new AgentVerdict(Kind.SUCCESS, "Zero quantities are now rejected as well.", null));
    }

    @Test
    void progress_tells_the_model_the_agents_words_its_tools_and_the_result() {
        List<String> progress = Fixtures.feed(parser(), "claude-success.jsonl");

        assertThat(progress.get(0)).isEqualTo("Claude Code started (claude-sonnet-4-5-20250929)");
        assertThat(progress).contains(
                "I'll read the requirement file and the test file to verify if the test faithfully tests the requirements.",
                "tool: Read C:\\Users\\Human\\Desktop\\prjx\\vecsum\\reqs\\05_logging.md",
                "tool: Edit C:\\Users\\Human\\Desktop\\prjx\\vecsum\\tests\\failing\\05_logging.py");
        assertThat(progress).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(Progress.MAX_LINE));
        String analysis = progress.stream().filter(p -> p.startsWith("Let me analyze")).findFirst().orElseThrow();
        assertThat(analysis).hasSize(Progress.MAX_SNIPPET).endsWith("…").doesNotContain("\n");
        assertThat(progress.get(progress.size() - 1)).isEqualTo("result: success, 4 turns, $0.2684");
    }

    @Test
    void text_on_stderr_is_progress_and_never_usage() {
        ClaudeStreamJsonParser parser = parser();

        assertThat(parser.line("stderr", "  Warning: no stdin data received in 3s, proceeding without it  "))
                .contains("Warning: no stdin data received in 3s, proceeding without it");
        assertThat(parser.line("stderr", "   ")).isEmpty();
        assertThat(parser.usage()).isEqualTo(AgentUsage.NONE);
    }

    @Test
    void a_model_missing_from_the_price_table_leaves_the_cost_unknown() {
        ClaudeStreamJsonParser parser = new ClaudeStreamJsonParser("mystery", PriceTable.of(Map.of()));
        List<String> lines = Fixtures.lines("claude-missing-result.jsonl");
        Fixtures.feed(parser, lines);

        assertThat(parser.usage().costUsd()).isNull();
        assertThat(parser.usage().tokens().total()).isPositive();
    }
}
