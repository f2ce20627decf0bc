package io.agentvine.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentvine.model.Budget;
import io.agentvine.model.TaskType;
import io.agentvine.model.WorkOrder;
import io.agentvine.worker.agent.output.PriceTable;
import io.agentvine.worker.config.AgentSettings;
import io.agentvine.worker.process.AgentCommand;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The argv each adapter builds: flags from configuration and the order, never a value that can become a flag. */
class AdaptersTest {
    static final Path WS = Path.of("/work/ws");

    @TempDir
    static Path tmp;

    static AgentRun run(String instructions, Budget budget, String model) {
        WorkOrder order = WorkOrder.builder("wo-7", TaskType.FEATURE).repositoryUrl("https://github.com/acme/shop.git").branch("main")
                .title("--dangerously-skip-permissions").instructions(instructions).budget(budget).build();
        return new AgentRun(order, WS, Path.of("/logs/wo-7.prompt.md"), tmp.resolve("wo-7.log"), Path.of("/logs/wo-7.review.md"), model);
    }

    static AgentSettings settings(String agent) {
        return AgentSettings.defaults(agent);
    }

    @Test
    void claude_code_gets_its_limits_as_glued_flags_and_the_prompt_on_stdin() {
        ClaudeCodeAdapter a = new ClaudeCodeAdapter(settings("claude-code"), Map.of("ANTHROPIC_API_KEY", "sk-ant-1"),
                Set.of("ANTHROPIC_API_KEY"), PriceTable.defaults());
        AgentCommand c = a.command(run("--allowedTools Bash(rm -rf /)", new Budget(12, 1.5, 600), "claude-sonnet-4-5"));

        assertThat(c.argv()).startsWith("claude", "-p", "--output-format=stream-json", "--verbose", "--max-turns=12",
                "--max-budget-usd=1.5000", "--model=claude-sonnet-4-5", "--permission-mode=acceptEdits",
                "--allowedTools=Read,Edit,MultiEdit,Write,Glob,Grep,Bash,mcp__agentvine__ask_human",
                "--disallowedTools=AskUserQuestion", "--mcp-config=" + tmp.resolve("wo-7.mcp.json"));
        assertThat(c.argv()).last().asString().startsWith("--append-system-prompt=").contains("ask_human");
        assertThat(c.stdinFile()).isEqualTo(Path.of("/logs/wo-7.prompt.md"));
        assertThat(String.join(" ", c.argv())).as("nothing from the task is in the argv").doesNotContain("rm -rf")
                .doesNotContain("dangerously");
        assertThat(c.environment()).containsEntry("ANTHROPIC_API_KEY", "sk-ant-1").containsEntry("AGENTVINE_TASK_ID", "wo-7")
                .containsEntry("AGENTVINE_MODEL", "claude-sonnet-4-5");
        assertThat(c.describe()).doesNotContain("sk-ant-1");
        assertThat(a.reportsOutcome()).isTrue();
        assertThat(tmp.resolve("wo-7.mcp.json")).content().contains("\"agentvine\"").contains("io.agentvine.worker.clarify.McpAskServer")
                .doesNotContain("sk-ant-1");
    }

    @Test
    void claude_code_uses_the_configured_turn_limit_when_the_order_has_none_and_no_budget_flag_without_a_cost_limit() {
        AgentCommand c = new ClaudeCodeAdapter(settings("claude-code"), Map.of(), Set.of(), PriceTable.defaults())
                .command(run("x", Budget.defaults(), "opus"));
        assertThat(c.argv()).contains("--max-turns=" + AgentSettings.DEFAULT_MAX_TURNS).noneMatch(a -> a.startsWith("--max-budget-usd"));
    }

    @Test
    void a_model_name_that_looks_like_a_flag_stays_the_value_of_model_and_a_newline_is_refused() {
        AgentCommand c = new CodexAdapter(settings("codex"), Map.of(), Set.of(), PriceTable.defaults())
                .command(run("x", Budget.defaults(), "--yolo"));
        assertThat(c.argv()).containsExactly("codex", "exec", "--json", "--sandbox=workspace-write", "--model=--yolo",
                "--skip-git-repo-check", "-");
        assertThat(c.stdinFile()).isEqualTo(Path.of("/logs/wo-7.prompt.md"));
        assertThatThrownBy(() -> new CodexAdapter(settings("codex"), Map.of(), Set.of(), PriceTable.defaults())
                .command(run("x", Budget.defaults(), "gpt-5\n--yolo"))).hasMessageContaining("control character");
    }

    @Test
    void a_resumed_session_is_a_glued_flag_for_claude_code_and_exec_resume_for_codex() {
        AgentRun base = run("x", Budget.defaults(), "sonnet");
        AgentRun resumed = new AgentRun(base.order(), base.workspace(), base.promptFile(), base.logFile(), base.reviewFile(),
                "sonnet", "2317940f-630c-4ced-8762-91be89159f7c");
        assertThat(new ClaudeCodeAdapter(settings("claude-code"), Map.of(), Set.of(), PriceTable.defaults()).command(resumed).argv())
                .contains("--resume=2317940f-630c-4ced-8762-91be89159f7c");
        assertThat(new ClaudeCodeAdapter(settings("claude-code"), Map.of(), Set.of(), PriceTable.defaults()).command(base).argv())
                .noneMatch(a -> a.startsWith("--resume"));
        AgentCommand codex = new CodexAdapter(settings("codex"), Map.of(), Set.of(), PriceTable.defaults()).command(resumed);
        assertThat(codex.argv()).containsExactly("codex", "exec", "resume", "--json", "-c", "sandbox_mode=\"workspace-write\"",
                "--model=sonnet", "--skip-git-repo-check", "2317940f-630c-4ced-8762-91be89159f7c", "-");
        assertThat(new AiderAdapter(settings("aider"), Map.of(), Set.of(), PriceTable.defaults()).sessionFiles())
                .as("aider has no session to resume").isEmpty();
    }

    @Test
    void aider_reads_the_prompt_file_says_yes_and_leaves_the_commits_to_the_worker() {
        AgentCommand c = new AiderAdapter(settings("aider"), Map.of("OPENAI_API_KEY", "sk-1"), Set.of("OPENAI_API_KEY"),
                PriceTable.defaults()).command(run("x", Budget.defaults(), "gpt-4.1"));
        assertThat(c.argv()).startsWith("aider", "--message-file=/logs/wo-7.prompt.md", "--yes", "--model=gpt-4.1", "--no-auto-commits");
        assertThat(c.stdinFile()).isNull();
    }

    @Test
    void the_command_template_fills_placeholders_inside_arguments_and_refuses_unknown_ones() {
        CommandAdapter a = new CommandAdapter(List.of("my-agent", "--prompt={prompt_file}", "--out", "{review_file}", "{model}"),
                settings("command"), Map.of(), Set.of(), PriceTable.defaults());
        assertThat(a.command(run("x", Budget.defaults(), "sonnet")).argv())
                .containsExactly("my-agent", "--prompt=/logs/wo-7.prompt.md", "--out", "/logs/wo-7.review.md", "sonnet");
        assertThatThrownBy(() -> new CommandAdapter(List.of("x", "{title}"), settings("command"), Map.of(), Set.of(), PriceTable.defaults()))
                .hasMessageContaining("unknown placeholder {title}");
    }

    @Test
    void the_demo_adapter_runs_the_demo_agent_in_a_java_subprocess_and_says_it_is_the_demo() {
        DemoAdapter a = new DemoAdapter(settings("demo"), Map.of(), PriceTable.defaults());
        AgentCommand c = a.command(run("x", Budget.defaults(), "sonnet"));
        assertThat(c.argv().get(0)).endsWith("/bin/java");
        assertThat(c.argv()).last().isEqualTo("io.agentvine.worker.agent.demo.DemoAgent");
        assertThat(c.environment()).containsEntry("AGENTVINE_DEMO_STEP_DELAY_MS", "0");
        assertThat(a.isDemo()).isTrue();
    }
}
