package io.agentvine.worker.agent.output;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentvine.model.Json;
import io.agentvine.model.TokenUsage;
import java.util.ArrayList;
import java.util.List;

/**
 * Lenient reads of a CLI's JSON events: a field that is missing, null or of the wrong kind reads as
 * absent instead of failing, because the CLIs add, rename and drop fields between versions.
 */
final class Fields {
    /**
     * Above this a token count is garbage, not usage (a whole run is far below 10^12), and accepting it
     * could overflow the sums.
     */
    static final long MAX_TOKENS = 1L << 40;

    private Fields() {
    }

    /** The line as a JSON object, or null when it is not one. */
    static JsonNode object(String line) {
        String trimmed = line.strip();
        if (!trimmed.startsWith("{")) {
            return null;
        }
        try {
            JsonNode node = Json.mapper().readTree(trimmed);
            return node != null && node.isObject() ? node : null;
        } catch (Exception e) {
            return null;
        }
    }

    static JsonNode object(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isObject() ? value : null;
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    /** A count of at least 0, or null. */
    static Integer count(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isIntegralNumber() && value.canConvertToInt() && value.asInt() >= 0
                ? value.asInt() : null;
    }

    /** A token count; anything that is not a plausible one reads as 0. */
    static long tokens(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || !value.isNumber() || !value.canConvertToLong()) {
            return 0;
        }
        long tokens = value.asLong();
        return tokens < 0 || tokens > MAX_TOKENS ? 0 : tokens;
    }

    /** An amount of dollars, or null when absent or not a usable amount. */
    static Double cost(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isNumber() ? Costs.valid(value.asDouble()) : null;
    }

    static boolean flag(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.asBoolean(false);
    }

    /** The strings of an array field; empty when absent. */
    static List<String> texts(JsonNode node, String field) {
        List<String> out = new ArrayList<>();
        JsonNode value = node == null ? null : node.get(field);
        if (value != null && value.isArray()) {
            value.forEach(v -> {
                if (v.isTextual() && !v.asText().isBlank()) {
                    out.add(v.asText());
                }
            });
        }
        return out;
    }

    /** Anthropic's usage object: {@code input_tokens, output_tokens, cache_read_input_tokens, cache_creation_input_tokens}. */
    static TokenUsage anthropicUsage(JsonNode usage) {
        return new TokenUsage(tokens(usage, "input_tokens"), tokens(usage, "output_tokens"),
                tokens(usage, "cache_read_input_tokens"), tokens(usage, "cache_creation_input_tokens"));
    }

    /** Per-field maximum: the fullest of two reports of the same message. */
    static TokenUsage max(TokenUsage a, TokenUsage b) {
        return new TokenUsage(Math.max(a.inputTokens(), b.inputTokens()), Math.max(a.outputTokens(), b.outputTokens()),
                Math.max(a.cacheReadTokens(), b.cacheReadTokens()),
                Math.max(a.cacheCreationTokens(), b.cacheCreationTokens()));
    }

    /** {@code later - earlier} per field, where a count that went down reads as 0. */
    static TokenUsage growth(TokenUsage later, TokenUsage earlier) {
        return new TokenUsage(Math.max(0, later.inputTokens() - earlier.inputTokens()),
                Math.max(0, later.outputTokens() - earlier.outputTokens()),
                Math.max(0, later.cacheReadTokens() - earlier.cacheReadTokens()),
                Math.max(0, later.cacheCreationTokens() - earlier.cacheCreationTokens()));
    }
}
