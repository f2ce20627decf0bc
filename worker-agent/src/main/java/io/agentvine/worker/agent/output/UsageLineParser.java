package io.agentvine.worker.agent.output;

import io.agentvine.model.TokenUsage;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the plain usage line that the generic command adapter, Aider's wrapper and the demo agent
 * print after each model call, anywhere in a line:
 *
 * <pre>Token usage: input=1200, output=340, cache_read=5000, cache_creation=0, cost=0.0123</pre>
 *
 * Fields come in any order, separated by commas or spaces; a missing one is 0, {@code cost} is
 * optional and other names are ignored. Each line is one call's usage: lines add up, and each counts
 * as one turn. A line whose cost is missing is priced from the price table on the run's model.
 *
 * <p>Every other non-blank line is passed on as progress; usage lines are not (usage has its own
 * events). There is no verdict: the exit code decides.
 */
public final class UsageLineParser implements OutputParser {
    private static final Pattern MARKER = Pattern.compile("token usage:", Pattern.CASE_INSENSITIVE);
    private static final Pattern FIELD = Pattern.compile("([A-Za-z_]+)\\s*=\\s*([^\\s,;]*)");
    private static final Pattern WHOLE = Pattern.compile("\\d{1,15}");
    private static final Pattern AMOUNT = Pattern.compile("\\$?(\\d{1,12}(?:\\.\\d{1,12})?)");

    private final Pricing pricing;
    private TokenUsage tokens = TokenUsage.ZERO;
    private TokenUsage unpriced = TokenUsage.ZERO;
    private Double reportedCost;
    private int turns;

    /** One call's usage as printed. */
    private record Call(TokenUsage tokens, Double cost) {
    }

    /**
     * @param model  the model the agent uses, to price lines without a cost; may be null
     * @param prices the price table
     */
    public UsageLineParser(String model, PriceTable prices) {
        this.pricing = new Pricing(prices, model);
    }

    @Override
    public Optional<String> line(String stream, String line) {
        if (line == null) {
            return Optional.empty();
        }
        Call call = parse(line);
        if (call == null) {
            return Progress.line(line);
        }
        synchronized (this) {
            tokens = tokens.plus(call.tokens);
            if (call.cost == null) {
                unpriced = unpriced.plus(call.tokens);
            } else {
                reportedCost = Costs.plus(reportedCost, call.cost);
            }
            turns++;
        }
        return Optional.empty();
    }

    @Override
    public synchronized AgentUsage usage() {
        if (turns == 0) {
            return AgentUsage.NONE;
        }
        return new AgentUsage(tokens, Costs.plus(reportedCost, pricing.cost(unpriced)), turns);
    }

    @Override
    public Optional<AgentVerdict> verdict() {
        return Optional.empty();
    }

    /** The usage on a line, or null when the line is not a (well-formed) usage line. */
    private static Call parse(String line) {
        Matcher marker = MARKER.matcher(line);
        if (!marker.find()) {
            return null;
        }
        long[] counts = new long[4];
        Double cost = null;
        boolean known = false;
        Matcher field = FIELD.matcher(line);
        field.region(marker.end(), line.length());
        while (field.find()) {
            String name = field.group(1).toLowerCase(Locale.ROOT).replaceFirst("_?tokens$", "");
            String value = field.group(2);
            int index = switch (name) {
                case "input" -> 0;
                case "output" -> 1;
                case "cache_read" -> 2;
                case "cache_creation", "cache_write" -> 3;
                case "cost", "cost_usd" -> 4;
                default -> -1;
            };
            if (index < 0) {
                continue;
            }
            if (index == 4) {
                Matcher amount = AMOUNT.matcher(value);
                if (!amount.matches()) {
                    return null;
                }
                cost = new BigDecimal(amount.group(1)).doubleValue();
            } else {
                if (!WHOLE.matcher(value).matches() || Long.parseLong(value) > Fields.MAX_TOKENS) {
                    return null;
                }
                counts[index] = Long.parseLong(value);
            }
            known = true;
        }
        return known ? new Call(new TokenUsage(counts[0], counts[1], counts[2], counts[3]), cost) : null;
    }
}
