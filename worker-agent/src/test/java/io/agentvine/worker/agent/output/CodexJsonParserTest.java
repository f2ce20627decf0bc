package io.agentvine.worker.agent.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.model.TokenUsage;
import io.agentvine.worker.agent.output.AgentVerdict.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodexJsonParserTest {
    private static CodexJsonParser parser() {
        return new CodexJsonParser("gpt-5-codex", PriceTable.defaults());
    }

    @Test
    void a_completed_turn_reports_uncached_input_cached_input_and_output_priced_by_the_table() {
        CodexJsonParser parser = parser();
        Fixtures.feed(parser, "codex-success.jsonl");

        // input_tokens 48213 include the 39936 cached ones; gpt-5-codex: $1.25 in, $0.125 cached, $10 out.
        Fixtures.assertUsage(parser, new TokenUsage(48213 - 39936, 1877, 39936, 0),
                (8277 * 1.25 + 39936 * 0.125 + 1877 * 10) / 1e6, 1);
        assertThat(parser.verdict()).hasValueSatisfying(v -> {
            assertThat(v.kind()).isEqualTo(Kind.SUCCESS);
            assertThat(v.message()).startsWith("`OrderService.place` now rejects zero");
        });
    }

    @Test
    void a_recorded_codex_0_46_session_reads_the_same_way() {
        CodexJsonParser parser = parser();
        List<String> progress = Fixtures.feed(parser, "codex-recorded-0.46.jsonl");

        Fixtures.assertUsage(parser, new TokenUsage(6086 - 2944, 223, 2944, 0), 0.0065255, 1);
        assertThat(parser.verdict().map(AgentVerdict::kind)).contains(Kind.SUCCESS);
        assertThat(progress).containsExactly(
                "Codex thread started 019a2d7b-7fb8-78e1-8cfa-5bdbe274a3aa",
                "Listing files in directory",
                "command: zsh -lc ls",
                "command exited 0: zsh -lc ls",
                "Preparing summary with caution",
                "Found 1 text file `hello.txt`, 5 JSONL logs `stream-output-{1..5}.jsonl`, and `test.js`. There was also "
                        + "a harmless `ps` permission warning from Homebrew’s shellenv script while listing.",
                "turn completed: 3142 input, 2944 cached, 223 output tokens so far");
    }

    @Test
    void progress_names_commands_file_changes_and_to_do_state() {
        List<String> progress = Fixtures.feed(parser(), "codex-success.jsonl");

        assertThat(progress).contains(
                "Inspecting OrderService validation",
                "files: update /workspace/shop/src/main/java/shop/OrderService.java, "
                        + "add /workspace/shop/src/test/java/shop/OrderServiceTest.java",
                "to-do: 0/2 done", "to-do: 1/2 done", "to-do: 2/2 done",
                "command: bash -lc './mvnw -q test'",
                "command exited 0: bash -lc './mvnw -q test'");
    }

    @Test
    void a_failed_turn_is_an_error_with_its_message_and_retry_notices_are_only_progress() {
        CodexJsonParser parser = parser();
        List<String> progress = Fixtures.feed(parser, "codex-turn-failed.jsonl");

        String message = "exceeded retry limit, last status: 401 Unauthorized, request id: 9a1b495a1a97ed3e-SJC";
        assertThat(parser.verdict()).contains(new AgentVerdict(Kind.ERROR, message, null));
        assertThat(progress).contains("retrying: Reconnecting... 1/5", "turn failed: " + message);
        // Nothing was reported, so nothing is known to have been spent.
        assertThat(parser.usage()).isEqualTo(new AgentUsage(TokenUsage.ZERO, null, 1));
    }

    @Test
    void a_reconnect_notice_followed_by_a_completed_turn_is_a_success() {
        CodexJsonParser parser = parser();
        parser.line("stdout", "{\"type\":\"turn.started\"}");
        parser.line("stdout", "{\"type\":\"error\",\"message\":\"Reconnecting... 1/5 (stream disconnected before completion)\"}");
        parser.line("stdout", "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":10,\"cached_input_tokens\":0,"
                + "\"output_tokens\":5}}");

        assertThat(parser.verdict().map(AgentVerdict::kind)).contains(Kind.SUCCESS);
    }

    @Test
    void a_fatal_error_after_a_completed_turn_makes_the_run_an_error() {
        CodexJsonParser parser = parser();
        parser.line("stdout", "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":10,\"output_tokens\":5}}");
        parser.line("stdout", "{\"type\":\"error\",\"message\":\"stream error: broken pipe\"}");

        assertThat(parser.verdict()).contains(new AgentVerdict(Kind.ERROR, "stream error: broken pipe", null));
    }

    @Test
    void each_turn_report_is_the_threads_running_total_so_the_latest_replaces_the_earlier() {
        CodexJsonParser parser = parser();
        parser.line("stdout", "{\"type\":\"turn.started\"}");
        parser.line("stdout", "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":1000,\"cached_input_tokens\":400,"
                + "\"output_tokens\":50}}");
        parser.line("stdout", "{\"type\":\"turn.started\"}");
        parser.line("stdout", "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":2500,\"cached_input_tokens\":1400,"
                + "\"output_tokens\":90}}");

        assertThat(parser.usage().tokens()).isEqualTo(new TokenUsage(1100, 90, 1400, 0));
        assertThat(parser.usage().turns()).isEqualTo(2);
    }

    @Test
    void without_a_model_the_cost_is_unknown() {
        CodexJsonParser parser = new CodexJsonParser(null, PriceTable.defaults());
        Fixtures.feed(parser, "codex-success.jsonl");

        assertThat(parser.usage().costUsd()).isNull();
        assertThat(parser.usage().tokens().outputTokens()).isEqualTo(1877);
    }
}
