package io.agentvine.worker.agent.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.model.TokenUsage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** The stdout and stderr readers feed a parser at the same time: no line may get lost. */
class ConcurrentFeedingTest {
    private static final int LINES_PER_STREAM = 5_000;

    @Test
    void usage_lines_from_both_streams_add_up_exactly() throws InterruptedException {
        UsageLineParser parser = new UsageLineParser(null, PriceTable.defaults());

        race(parser,
                i -> i % 2 == 0 ? "Token usage: input=1, output=2, cache_read=3, cache_creation=4, cost=0.5" : "working",
                i -> "Token usage: input=10, output=20, cost=0.25");

        int half = LINES_PER_STREAM / 2;
        assertThat(parser.usage()).isEqualTo(new AgentUsage(
                new TokenUsage(half + 10L * LINES_PER_STREAM, 2L * half + 20L * LINES_PER_STREAM, 3L * half, 4L * half),
                0.5 * half + 0.25 * LINES_PER_STREAM, half + LINES_PER_STREAM));
    }

    @Test
    void claude_messages_from_both_streams_count_once_each() throws InterruptedException {
        ClaudeStreamJsonParser parser = new ClaudeStreamJsonParser("sonnet", PriceTable.defaults());
        // Every message twice, as stream-json repeats it per content block.
        IntFunction<String> message = i -> "{\"type\":\"assistant\",\"message\":{\"id\":\"msg_" + (i / 2)
                + "\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"usage\":{\"input_tokens\":1,\"output_tokens\":2,"
                + "\"cache_read_input_tokens\":3,\"cache_creation_input_tokens\":4}}}";

        race(parser, i -> message.apply(i).replace("msg_", "out_"), i -> message.apply(i).replace("msg_", "err_"));

        AgentUsage usage = parser.usage();
        assertThat(usage.turns()).isEqualTo(LINES_PER_STREAM);
        assertThat(usage.tokens()).isEqualTo(new TokenUsage(LINES_PER_STREAM, 2L * LINES_PER_STREAM,
                3L * LINES_PER_STREAM, 4L * LINES_PER_STREAM));
    }

    @Test
    void codex_turns_from_both_streams_are_all_counted() throws InterruptedException {
        CodexJsonParser parser = new CodexJsonParser("gpt-5", PriceTable.defaults());

        race(parser, i -> "{\"type\":\"turn.started\"}", i -> i % 2 == 0 ? "{\"type\":\"turn.started\"}" : "noise");

        assertThat(parser.usage().turns()).isEqualTo(LINES_PER_STREAM + LINES_PER_STREAM / 2);
    }

    /** Feeds both streams from two threads released together; fails on any error or a hang. */
    private static void race(OutputParser parser, IntFunction<String> stdout, IntFunction<String> stderr)
            throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (String stream : new String[] {OutputParser.STDOUT, OutputParser.STDERR}) {
            IntFunction<String> lines = stream.equals(OutputParser.STDOUT) ? stdout : stderr;
            Thread reader = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < LINES_PER_STREAM; i++) {
                        parser.line(stream, lines.apply(i));
                        if (i % 100 == 0) {
                            parser.usage(); // readers race with usage snapshots too
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            }, "test-reader-" + stream);
            reader.start();
        }
        start.countDown();
        assertThat(done.await(30, TimeUnit.SECONDS)).as("both readers finished").isTrue();
        assertThat(failure.get()).isNull();
    }
}
