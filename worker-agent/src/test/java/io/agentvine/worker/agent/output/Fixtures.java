package io.agentvine.worker.agent.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.agentvine.model.TokenUsage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The recorded CLI outputs under {@code src/test/resources/agent-output} (see the README there). */
final class Fixtures {
    private Fixtures() {
    }

    static List<String> lines(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/agent-output/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Feeds every line of the fixture on stdout and returns the progress messages. */
    static List<String> feed(OutputParser parser, String name) {
        return feed(parser, lines(name));
    }

    static List<String> feed(OutputParser parser, List<String> lines) {
        List<String> progress = new ArrayList<>();
        for (String line : lines) {
            parser.line(OutputParser.STDOUT, line).ifPresent(progress::add);
        }
        return progress;
    }

    /** Asserts a parser's usage; costs to within 1e-12 dollars, as sums of doubles are not exact. */
    static void assertUsage(OutputParser parser, TokenUsage tokens, Double costUsd, int turns) {
        AgentUsage usage = parser.usage();
        assertThat(usage.tokens()).as("tokens").isEqualTo(tokens);
        assertThat(usage.turns()).as("turns").isEqualTo(turns);
        if (costUsd == null) {
            assertThat(usage.costUsd()).as("cost").isNull();
        } else {
            assertThat(usage.costUsd()).as("cost").isCloseTo(costUsd, within(1e-12));
        }
    }
}
