package io.agentvine.worker.agent.output;

import io.agentvine.model.TokenUsage;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Aider's own report after each model call:
 *
 * <pre>Tokens: 12k sent, 2.1k cache write, 1.5k cache hit, 312 received. Cost: $0.0123 message, $0.0456 session.</pre>
 *
 * Aider rounds its token counts (1.2k, 12k), so the tokens are approximate; its session cost is
 * exact and cumulative, so the latest one is the run's cost (lines without a cost are priced from the
 * price table). Each report is one turn. {@code Token usage:} lines (a wrapper's) count too. Other
 * lines are progress; the exit code decides the outcome.
 */
public final class AiderOutputParser implements OutputParser {
    private static final String N = "(\\d+(?:\\.\\d+)?[kKmM]?)";
    private static final Pattern REPORT = Pattern.compile("Tokens: " + N + " sent(?:, " + N + " cache write)?(?:, " + N
            + " cache hit)?, " + N + " received\\.(?:\\s+Cost: \\$(\\d+(?:\\.\\d+)?) message, \\$(\\d+(?:\\.\\d+)?) session\\.)?");

    private final Pricing pricing;
    private final UsageLineParser usageLines;
    private TokenUsage tokens = TokenUsage.ZERO;
    private TokenUsage unpriced = TokenUsage.ZERO;
    private Double sessionCost;
    private int turns;

    public AiderOutputParser(String model, PriceTable prices) {
        this.pricing = new Pricing(prices, model);
        this.usageLines = new UsageLineParser(model, prices);
    }

    @Override
    public Optional<String> line(String stream, String line) {
        if (line == null) {
            return Optional.empty();
        }
        Matcher m = REPORT.matcher(line);
        if (!m.find()) {
            return usageLines.line(stream, line);
        }
        TokenUsage call = new TokenUsage(count(m.group(1)), count(m.group(4)), count(m.group(3)), count(m.group(2)));
        synchronized (this) {
            tokens = tokens.plus(call);
            if (m.group(6) != null) {
                sessionCost = Double.parseDouble(m.group(6));
                unpriced = TokenUsage.ZERO; // the session cost covers every call so far
            } else {
                unpriced = unpriced.plus(call);
            }
            turns++;
        }
        return Optional.of(line.strip());
    }

    @Override
    public AgentUsage usage() {
        AgentUsage own;
        synchronized (this) {
            own = turns == 0 ? AgentUsage.NONE : new AgentUsage(tokens, Costs.plus(sessionCost, pricing.cost(unpriced)), turns);
        }
        return own.plus(usageLines.usage());
    }

    @Override
    public Optional<AgentVerdict> verdict() {
        return Optional.empty();
    }

    /** "312" → 312, "2.1k" → 2100, "12k" → 12000, "1.5M" → 1500000. */
    static long count(String text) {
        if (text == null) {
            return 0;
        }
        char unit = Character.toLowerCase(text.charAt(text.length() - 1));
        double factor = unit == 'k' ? 1_000 : unit == 'm' ? 1_000_000 : 1;
        String number = factor == 1 ? text : text.substring(0, text.length() - 1);
        return Math.round(Double.parseDouble(number) * factor);
    }
}
