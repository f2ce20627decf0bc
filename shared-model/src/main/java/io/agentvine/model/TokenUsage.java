package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Tokens an agent consumed, as the model API counts them. Missing counts read as 0. Cache reads
 * and cache writes are counted apart from {@code input_tokens}, as the API reports them, because
 * they are priced differently.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TokenUsage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheCreationTokens) {
    public static final TokenUsage ZERO = new TokenUsage(0, 0, 0, 0);

    public TokenUsage {
        Check.nonNegative(inputTokens, "input_tokens");
        Check.nonNegative(outputTokens, "output_tokens");
        Check.nonNegative(cacheReadTokens, "cache_read_tokens");
        Check.nonNegative(cacheCreationTokens, "cache_creation_tokens");
    }

    /** The sum of both usages; throws ArithmeticException rather than wrap around. */
    public TokenUsage plus(TokenUsage other) {
        return new TokenUsage(
                Math.addExact(inputTokens, other.inputTokens),
                Math.addExact(outputTokens, other.outputTokens),
                Math.addExact(cacheReadTokens, other.cacheReadTokens),
                Math.addExact(cacheCreationTokens, other.cacheCreationTokens));
    }

    /** Every token processed: input, output, cache reads and cache writes. */
    public long total() {
        return Math.addExact(Math.addExact(inputTokens, outputTokens), Math.addExact(cacheReadTokens, cacheCreationTokens));
    }
}
