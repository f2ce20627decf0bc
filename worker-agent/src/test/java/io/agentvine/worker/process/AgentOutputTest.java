package io.agentvine.worker.process;

import static io.agentvine.worker.process.TestAgents.PATIENCE;
import static io.agentvine.worker.process.TestAgents.script;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** An agent's output: order, both streams, a failing listener, masked secrets (through {@link OutputPump}). */
class AgentOutputTest extends AgentProcessFixture {
    @Test
    void output_arrives_in_order_to_the_listener_and_in_the_log_tagged_by_stream() throws Exception {
        Path s = script(dir, "agent.sh", """
                echo "dir=$PWD"
                echo "task=$AGENTVINE_TASK_ID"
                echo oops >&2
                echo done
                printf 'no newline at the end'
                exit 3
                """);
        Clock clock = Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC);
        AgentProcess p = start(command(s, Map.of("AGENTVINE_TASK_ID", "t-1"), Set.of()), lines, clock, SHORT_GRACE);

        AgentOutcome o = p.waitFor(PATIENCE);

        assertThat(o).isEqualTo(new AgentOutcome(AgentOutcome.Kind.EXITED, 3, Duration.ZERO));
        assertThat(o.succeeded()).isFalse();
        String pwd = "dir=" + work.toRealPath();
        assertThat(lines.out()).containsExactly(pwd, "task=t-1", "done", "no newline at the end");
        assertThat(lines.err()).containsExactly("oops");
        List<String> log = Files.readAllLines(logFile);
        assertThat(log.get(0)).startsWith("2025-01-02T03:04:05Z sys started pid " + p.pid() + ": argv=[" + s + "]");
        assertThat(log.subList(1, log.size() - 1)).containsExactlyInAnyOrder(
                "2025-01-02T03:04:05Z out " + pwd, "2025-01-02T03:04:05Z out task=t-1", "2025-01-02T03:04:05Z err oops",
                "2025-01-02T03:04:05Z out done", "2025-01-02T03:04:05Z out no newline at the end");
        assertThat(logLines("out")).containsSubsequence("2025-01-02T03:04:05Z out " + pwd,
                "2025-01-02T03:04:05Z out done", "2025-01-02T03:04:05Z out no newline at the end");
        assertThat(log.get(log.size() - 1)).isEqualTo("2025-01-02T03:04:05Z sys exited with 3 after PT0S");
    }

    @Test
    void stdout_and_stderr_are_captured_apart_and_ten_thousand_lines_each_lose_none() throws Exception {
        Path s = script(dir, "flood.sh", "for i in $(seq 1 10000); do echo \"out $i\"; echo \"err $i\" >&2; done\n");
        AgentProcess p = start(s, SHORT_GRACE);

        assertThat(p.waitFor(PATIENCE).succeeded()).isTrue();

        List<String> out = IntStream.rangeClosed(1, 10_000).mapToObj(i -> "out " + i).toList();
        List<String> err = IntStream.rangeClosed(1, 10_000).mapToObj(i -> "err " + i).toList();
        assertThat(lines.out()).isEqualTo(out);
        assertThat(lines.err()).isEqualTo(err);
        assertThat(logged("out")).isEqualTo(out);
        assertThat(logged("err")).isEqualTo(err);
    }

    @Test
    void a_listener_that_throws_costs_no_line_of_the_log_and_is_still_called_for_every_line() throws Exception {
        Path s = script(dir, "chatty.sh", "for i in $(seq 1 100); do echo \"line $i\"; done\n");
        AtomicInteger calls = new AtomicInteger();
        LineListener failing = (stream, line) -> {
            calls.incrementAndGet();
            throw new IllegalStateException("listener broke on " + line);
        };
        AgentProcess p = start(command(s, Map.of(), Set.of()), failing, Clock.systemUTC(), SHORT_GRACE);

        assertThat(p.waitFor(PATIENCE).succeeded()).isTrue();

        assertThat(calls).hasValue(100);
        assertThat(logLines("out")).hasSize(100).last().asString().endsWith(" out line 100");
    }

    @Test
    void a_secret_reaches_the_agent_but_its_value_is_in_no_log_and_no_delivered_line() throws Exception {
        String secret = "sk-ant-s3cr3t-value";
        Path s = script(dir, "secret.sh", """
                test "$ANTHROPIC_API_KEY" = sk-ant-s3cr3t-value && echo "has key"
                echo "key is $ANTHROPIC_API_KEY"
                echo "$ANTHROPIC_API_KEY" >&2
                """);
        AgentCommand cmd = new AgentCommand(List.of(s.toString(), "--key=" + secret), work,
                Map.of("ANTHROPIC_API_KEY", secret, "AGENTVINE_MODEL", "sonnet"), Set.of("ANTHROPIC_API_KEY"), logFile);
        Logger pkg = (Logger) LoggerFactory.getLogger(AgentProcess.class.getPackageName());
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        Level level = pkg.getLevel();
        pkg.setLevel(Level.DEBUG);
        pkg.addAppender(captured);
        try {
            AgentProcess p = start(cmd, lines, Clock.systemUTC(), SHORT_GRACE);
            assertThat(p.waitFor(PATIENCE).succeeded()).isTrue();
            p.close();
            assertThat(p.toString()).doesNotContain(secret);
        } finally {
            pkg.detachAppender(captured);
            pkg.setLevel(level);
        }

        assertThat(lines.out()).containsExactly("has key", "key is ***");
        assertThat(lines.err()).containsExactly("***");
        assertThat(Files.readString(logFile)).contains("has key", "--key=***", "ANTHROPIC_API_KEY(secret)").doesNotContain(secret);
        List<String> logged = captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(logged).as("what was logged through slf4j")
                .anyMatch(m -> m.contains("started") && m.contains("ANTHROPIC_API_KEY"))
                .noneMatch(m -> m.contains(secret));
        assertThat(cmd.describe()).doesNotContain(secret);
        assertThat(cmd.toString()).doesNotContain(secret);
    }
}
