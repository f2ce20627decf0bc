package io.agentvine.worker.agent.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.model.TokenUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Aider's "Tokens: … sent … Cost: … session." reports, in the format of aider's base_coder. */
class AiderOutputParserTest {
    @Test
    void aiders_reports_add_up_and_the_latest_session_cost_is_the_runs_cost() throws Exception {
        AiderOutputParser p = new AiderOutputParser("claude-sonnet-4-5", PriceTable.defaults());
        List<String> progress = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(getClass().getResource("/agent-output/aider-session.txt").toURI()))) {
            p.line(OutputParser.STDOUT, line).ifPresent(progress::add);
        }
        AgentUsage u = p.usage();
        assertThat(u.tokens()).isEqualTo(new TokenUsage(4300 + 5000, 312 + 88, 3900, 2100));
        assertThat(u.costUsd()).isEqualTo(0.0175);
        assertThat(u.turns()).isEqualTo(2);
        assertThat(progress).contains("Applied edit to cart.py").anyMatch(l -> l.startsWith("Tokens: 4.3k sent"));
        assertThat(p.verdict()).isEmpty();
    }

    @Test
    void a_report_without_a_cost_is_priced_and_rounded_counts_are_read_with_their_unit() {
        AiderOutputParser p = new AiderOutputParser("claude-sonnet-4-5", PriceTable.defaults());
        p.line(OutputParser.STDOUT, "Tokens: 12k sent, 1.5M received.");
        assertThat(p.usage().tokens()).isEqualTo(new TokenUsage(12_000, 1_500_000, 0, 0));
        assertThat(p.usage().costUsd()).isEqualTo(PriceTable.defaults().cost("claude-sonnet-4-5", new TokenUsage(12_000, 1_500_000, 0, 0))
                .orElseThrow());
        assertThat(AiderOutputParser.count("312")).isEqualTo(312);
        assertThat(AiderOutputParser.count("2.1k")).isEqualTo(2100);
    }
}
