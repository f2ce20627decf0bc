package io.agentvine.worker.agent.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.agentvine.model.TokenUsage;
import io.agentvine.worker.agent.output.PriceTable.Price;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceTableTest {
    private static final Price SONNET = new Price(3.00, 15.00, 0.30, 3.75);
    private static final Price OPUS_4_5 = new Price(5.00, 25.00, 0.50, 6.25);
    private static final Price HAIKU_4_5 = new Price(1.00, 5.00, 0.10, 1.25);
    private static final Price GPT_5 = new Price(1.25, 10.00, 0.125, 1.25);

    private final PriceTable defaults = PriceTable.defaults();

    @Test
    void dated_claude_model_ids_find_their_family() {
        assertThat(defaults.price("claude-sonnet-4-5-20250929")).contains(SONNET);
        assertThat(defaults.price("claude-3-7-sonnet-20250219")).contains(SONNET);
        assertThat(defaults.price("claude-haiku-4-5-20251001")).contains(HAIKU_4_5);
        assertThat(defaults.price("sonnet")).contains(SONNET);
    }

    @Test
    void opus_4_5_and_later_cost_less_than_opus_4_and_4_1() {
        assertThat(defaults.price("claude-opus-4-5-20251101")).contains(OPUS_4_5);
        assertThat(defaults.price("claude-opus-4-6")).contains(OPUS_4_5);
        assertThat(defaults.price("opus")).contains(OPUS_4_5);
        assertThat(defaults.price("claude-opus-4-1-20250805")).contains(new Price(15, 75, 1.5, 18.75));
        assertThat(defaults.price("claude-opus-4-20250514")).contains(new Price(15, 75, 1.5, 18.75));
    }

    @Test
    void the_longest_matching_prefix_wins_and_a_prefix_must_end_at_a_separator() {
        assertThat(defaults.price("gpt-5")).contains(GPT_5);
        assertThat(defaults.price("gpt-5-2025-08-07")).contains(GPT_5);
        assertThat(defaults.price("gpt-5-mini-2025-08-07")).contains(new Price(0.25, 2.00, 0.025, 0.25));
        assertThat(defaults.price("o4-mini-2025-04-16")).contains(new Price(1.10, 4.40, 0.275, 1.10));
        PriceTable table = PriceTable.of(Map.of("model-4-1", SONNET));
        assertThat(table.price("model-4-10")).isEmpty();
        assertThat(table.price("model-4-1-20250101")).contains(SONNET);
    }

    @Test
    void case_a_provider_prefix_and_a_context_suffix_do_not_matter() {
        assertThat(defaults.price("anthropic/claude-sonnet-4-5")).contains(SONNET);
        assertThat(defaults.price("  Claude-Sonnet-4-5[1m] ")).contains(SONNET);
        assertThat(defaults.price("openrouter/openai/GPT-5-Codex")).contains(GPT_5);
    }

    @Test
    void an_unknown_or_missing_model_has_no_price() {
        assertThat(defaults.price("llama-3.3-70b")).isEmpty();
        assertThat(defaults.cost("llama-3.3-70b", new TokenUsage(1, 1, 1, 1))).isEmpty();
        assertThat(defaults.price(null)).isEmpty();
        assertThat(defaults.price(" ")).isEmpty();
    }

    @Test
    void the_default_prices_reproduce_the_costs_claude_code_reported_per_model() {
        // modelUsage of the run recorded in claude-success.jsonl (Claude Code 2.1.4).
        assertThat(defaults.cost("claude-sonnet-4-5-20250929", new TokenUsage(10, 1384, 74104, 15517)))
                .hasValueSatisfying(c -> assertThat(c).isCloseTo(0.10120994999999999, within(1e-12)));
        assertThat(defaults.cost("claude-opus-4-5-20251101", new TokenUsage(4, 147, 0, 22959)))
                .hasValueSatisfying(c -> assertThat(c).isCloseTo(0.14718875, within(1e-12)));
        assertThat(defaults.cost("claude-haiku-4-5-20251001", new TokenUsage(2, 267, 0, 14934)))
                .hasValueSatisfying(c -> assertThat(c).isCloseTo(0.0200045, within(1e-12)));
    }

    @Test
    void overrides_replace_and_add_entries_without_changing_the_original() {
        Price cheaper = new Price(1, 2, 0.1, 1);
        PriceTable table = defaults.withOverrides(Map.of("Sonnet", cheaper, "in-house-llm", new Price(0, 0, 0, 0)));

        assertThat(table.price("claude-sonnet-4-5-20250929")).contains(cheaper);
        assertThat(table.price("in-house-llm-v2")).contains(new Price(0, 0, 0, 0));
        assertThat(table.price("gpt-5")).contains(GPT_5);
        assertThat(defaults.price("claude-sonnet-4-5-20250929")).contains(SONNET);
    }

    @Test
    void a_yaml_file_gives_a_table_and_missing_cache_prices_are_the_input_price(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("prices.yaml");
        Files.writeString(file, """
                # ours
                prices:
                  in-house-llm: {input: 0.5, output: 1.5}
                  sonnet: {input: 2, output: 10, cache_read: 0.2, cache_creation: 2.5}
                """);

        PriceTable table = PriceTable.fromYaml(file);

        assertThat(table.prices()).containsOnlyKeys("in-house-llm", "sonnet");
        assertThat(table.price("in-house-llm")).contains(new Price(0.5, 1.5, 0.5, 0.5));
        assertThat(defaults.withOverrides(table.prices()).price("claude-sonnet-4")).contains(new Price(2, 10, 0.2, 2.5));
    }

    @Test
    void a_bad_yaml_file_is_refused_with_the_place_of_the_problem(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("prices.yaml");

        Files.writeString(file, "prices:\n  m: {input: 1, ouput: 2}\n");
        assertThatThrownBy(() -> PriceTable.fromYaml(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prices.m").hasMessageContaining("unknown field 'ouput'");

        Files.writeString(file, "prices:\n  m: {input: -1, output: 2}\n");
        assertThatThrownBy(() -> PriceTable.fromYaml(file)).hasMessageContaining("prices.m");

        Files.writeString(file, "prices:\n  m: {input: cheap, output: 2}\n");
        assertThatThrownBy(() -> PriceTable.fromYaml(file)).hasMessageContaining("prices.m.input must be a number");

        Files.writeString(file, "models: {}\n");
        assertThatThrownBy(() -> PriceTable.fromYaml(file)).hasMessageContaining("'prices:'");

        Files.writeString(file, "prices: [unclosed\n");
        assertThatThrownBy(() -> PriceTable.fromYaml(file)).hasMessageContaining("not valid YAML");
    }

    @Test
    void a_price_is_charged_per_million_tokens_of_each_kind() {
        assertThat(SONNET.cost(new TokenUsage(1_000_000, 1_000_000, 1_000_000, 1_000_000)))
                .isCloseTo(3.00 + 15.00 + 0.30 + 3.75, within(1e-12));
        assertThatThrownBy(() -> new Price(Double.NaN, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
