package io.agentvine.worker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AgentCommandTest {
    private static final Path DIR = Path.of("/work/ws");
    private static final Path LOG = Path.of("logs/t-1.log");

    private static AgentCommand command(List<String> argv, Map<String, String> env, Set<String> secrets) {
        return new AgentCommand(argv, DIR, env, secrets, LOG);
    }

    @Test
    void an_argv_that_cannot_be_run_is_rejected_with_a_clear_message() {
        assertThatThrownBy(() -> command(List.of(), Map.of(), Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("argv must name a program to run");
        assertThatThrownBy(() -> command(null, Map.of(), Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("argv must name a program to run");
        assertThatThrownBy(() -> command(Arrays.asList("claude", null), Map.of(), Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("argv[1] is null");
        assertThatThrownBy(() -> command(List.of("claude", "-p", "a\0b"), Map.of(), Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("argv[2] contains a NUL character");
        assertThatThrownBy(() -> command(List.of(" "), Map.of(), Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("argv[0] (the program) is blank");
    }

    @Test
    void a_missing_directory_log_or_map_is_rejected_with_a_clear_message() {
        List<String> argv = List.of("claude");
        assertThatThrownBy(() -> new AgentCommand(argv, null, Map.of(), Set.of(), LOG))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("workingDir is required");
        assertThatThrownBy(() -> new AgentCommand(argv, DIR, Map.of(), Set.of(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("logFile is required");
        assertThatThrownBy(() -> command(argv, null, Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("environment is required");
        assertThatThrownBy(() -> command(argv, Map.of(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secretNames is required");
    }

    @Test
    void invalid_variables_are_rejected_without_showing_their_values() {
        List<String> argv = List.of("claude");
        assertThatThrownBy(() -> command(argv, Map.of("A=B", "x"), Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid variable name").hasMessageContaining("A=B");
        assertThatThrownBy(() -> command(argv, Map.of("", "x"), Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty or null variable name");
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("TOKEN", null);
        assertThatThrownBy(() -> command(argv, nullValue, Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("environment variable TOKEN has a null value");
        assertThatThrownBy(() -> command(argv, Map.of("TOKEN", "sk-\0-secret"), Set.of("TOKEN")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("environment variable TOKEN contains a NUL character");
        assertThatThrownBy(() -> command(argv, Map.of(), Set.of("")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secretNames has an empty");
    }

    @Test
    void the_command_keeps_its_own_copies() {
        List<String> argv = new ArrayList<>(List.of("claude", "-p"));
        Map<String, String> env = new HashMap<>(Map.of("A", "1"));
        Set<String> secrets = new HashSet<>(Set.of("A"));
        AgentCommand cmd = command(argv, env, secrets);
        argv.add("--dangerously-skip-permissions");
        env.put("B", "2");
        secrets.clear();
        assertThat(cmd.argv()).containsExactly("claude", "-p");
        assertThat(cmd.environment()).containsOnlyKeys("A");
        assertThat(cmd.secretNames()).containsExactly("A");
        assertThatThrownBy(() -> cmd.argv().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void the_description_names_variables_but_shows_no_values_and_masks_secrets_in_the_argv() {
        AgentCommand cmd = command(List.of("agent", "--api-key=sk-ant-123456", "--model", "sonnet"),
                Map.of("ANTHROPIC_API_KEY", "sk-ant-123456", "AGENTVINE_TASK_ID", "t-1"), Set.of("ANTHROPIC_API_KEY", "HOME_TOKEN"));
        assertThat(cmd.describe())
                .isEqualTo("argv=[agent, --api-key=***, --model, sonnet] dir=/work/ws"
                        + " env=[AGENTVINE_TASK_ID, ANTHROPIC_API_KEY(secret)] log=logs/t-1.log")
                .doesNotContain("sk-ant-123456");
        assertThat(cmd.toString()).startsWith("AgentCommand[").doesNotContain("sk-ant-123456");
        assertThat(cmd.program()).isEqualTo("agent");
    }

    @Test
    void secrets_are_masked_longest_first_and_very_short_values_are_left_alone() {
        Secrets secrets = Secrets.of(Set.of("SHORT", "INNER", "OUTER", "ABSENT"),
                Map.of("SHORT", "abc", "INNER", "abcd", "OUTER", "abcdef"));
        assertThat(secrets.redact("x abcdef y abcd z abc")).isEqualTo("x *** y *** z abc");
        assertThat(Secrets.NONE.redact("abcdef")).isEqualTo("abcdef");
    }
}
