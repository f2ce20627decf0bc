package io.agentvine.worker.agent.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.agentvine.model.TokenUsage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Model prices in US dollars per million tokens, to put a cost on usage when the CLI reports none
 * (Codex, the usage-line agents, a Claude Code run that died before its result).
 *
 * <p>A model is found by its exact name, else by the longest name in the table it starts with (so
 * {@code o4-mini-2025-04-16} finds {@code o4-mini}, and {@code gpt-5-codex} wins over {@code gpt-5}),
 * else by a family word in its name ({@code claude-sonnet-4-5-20250929} finds {@code sonnet}). Names
 * are compared in lower case; a provider prefix ({@code anthropic/}) and a context suffix
 * ({@code [1m]}) are ignored.
 *
 * <p>The defaults are list prices in {@code prices.yaml} next to this class; configuration can
 * replace or add entries with {@link #withOverrides(Map)} or a file of the same format read by
 * {@link #fromYaml(Path)}:
 *
 * <pre>
 * prices:
 *   my-model: {input: 1.00, output: 4.00, cache_read: 0.10, cache_creation: 1.25}
 * </pre>
 *
 * A missing {@code cache_read} or {@code cache_creation} price is taken to be the input price.
 */
public final class PriceTable {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> ENTRY_FIELDS = Set.of("input", "output", "cache_read", "cache_creation");

    private final Map<String, Price> prices;

    /**
     * USD per million tokens of each kind.
     *
     * @param input         uncached input tokens
     * @param output        output tokens (reasoning included)
     * @param cacheRead     input tokens read from the prompt cache
     * @param cacheCreation input tokens written to the prompt cache
     */
    public record Price(double input, double output, double cacheRead, double cacheCreation) {
        public Price {
            requireAmount(input, "input");
            requireAmount(output, "output");
            requireAmount(cacheRead, "cache_read");
            requireAmount(cacheCreation, "cache_creation");
        }

        /** What the tokens cost at this price. */
        public double cost(TokenUsage tokens) {
            return (tokens.inputTokens() * input
                    + tokens.outputTokens() * output
                    + tokens.cacheReadTokens() * cacheRead
                    + tokens.cacheCreationTokens() * cacheCreation) / 1_000_000d;
        }

        private static void requireAmount(double value, String field) {
            if (Double.isNaN(value) || Double.isInfinite(value) || value < 0) {
                throw new IllegalArgumentException(field + " price must be a finite amount of at least 0, was " + value);
            }
        }
    }

    private PriceTable(Map<String, Price> prices) {
        this.prices = Map.copyOf(prices);
    }

    /** A table of exactly these entries. */
    public static PriceTable of(Map<String, Price> prices) {
        return new PriceTable(normalized(prices));
    }

    /** The list prices shipped with the worker ({@code prices.yaml}). */
    public static PriceTable defaults() {
        return Defaults.TABLE;
    }

    /**
     * A table of the entries in a YAML file of the format above (on its own: combine it with
     * {@code defaults().withOverrides(PriceTable.fromYaml(path).prices())}).
     *
     * @throws IOException              the file cannot be read
     * @throws IllegalArgumentException the file is not a valid price list; the message says where
     */
    public static PriceTable fromYaml(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return fromYaml(in, file.toString());
        }
    }

    static PriceTable fromYaml(InputStream in, String source) throws IOException {
        JsonNode root;
        try {
            root = YAML.readTree(in);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
        JsonNode entries = root == null ? null : root.get("prices");
        if (entries == null || !entries.isObject()) {
            throw new IllegalArgumentException(source + ": expected a 'prices:' map of model name to prices");
        }
        Map<String, Price> prices = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = entries.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            prices.put(entry.getKey(), price(entry.getValue(), source + ": prices." + entry.getKey()));
        }
        return of(prices);
    }

    /** This table with these entries added or replaced. */
    public PriceTable withOverrides(Map<String, Price> overrides) {
        Map<String, Price> merged = new LinkedHashMap<>(prices);
        merged.putAll(normalized(overrides));
        return new PriceTable(merged);
    }

    /** Every entry, by lower-case name. */
    public Map<String, Price> prices() {
        return prices;
    }

    /** The price of a model, found as the class comment says; empty for an unknown model. */
    public Optional<Price> price(String model) {
        if (model == null || model.isBlank()) {
            return Optional.empty();
        }
        String name = normalize(model);
        Price exact = prices.get(name);
        if (exact != null) {
            return Optional.of(exact);
        }
        String prefix = null;
        for (String key : prices.keySet()) {
            if (name.startsWith(key) && !Character.isLetterOrDigit(name.charAt(key.length()))
                    && (prefix == null || key.length() > prefix.length())) {
                prefix = key;
            }
        }
        if (prefix != null) {
            return Optional.of(prices.get(prefix));
        }
        for (String word : name.split("[^a-z0-9]+")) {
            Price family = prices.get(word);
            if (family != null) {
                return Optional.of(family);
            }
        }
        return Optional.empty();
    }

    /** What the tokens cost on this model; empty for an unknown model. */
    public Optional<Double> cost(String model, TokenUsage tokens) {
        return price(model).map(p -> p.cost(tokens));
    }

    private static String normalize(String model) {
        String name = model.trim().toLowerCase(Locale.ROOT);
        int bracket = name.indexOf('[');
        if (bracket > 0) {
            name = name.substring(0, bracket);
        }
        // "anthropic/claude-…", "openrouter/openai/gpt-5": the provider does not change the list price.
        return name.substring(name.lastIndexOf('/') + 1).trim();
    }

    private static Map<String, Price> normalized(Map<String, Price> prices) {
        Map<String, Price> out = new LinkedHashMap<>();
        prices.forEach((name, price) -> {
            if (name == null || name.isBlank() || price == null) {
                throw new IllegalArgumentException("a price entry needs a model name and a price: " + name + "=" + price);
            }
            out.put(normalize(name), price);
        });
        return out;
    }

    private static Price price(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": expected {input: …, output: …, cache_read: …, cache_creation: …}");
        }
        node.fieldNames().forEachRemaining(field -> {
            if (!ENTRY_FIELDS.contains(field)) {
                throw new IllegalArgumentException(where + ": unknown field '" + field + "', expected " + ENTRY_FIELDS);
            }
        });
        double input = amount(node, "input", where, null);
        double output = amount(node, "output", where, null);
        try {
            return new Price(input, output, amount(node, "cache_read", where, input),
                    amount(node, "cache_creation", where, input));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static double amount(JsonNode entry, String field, String where, Double fallback) {
        JsonNode value = entry.get(field);
        if (value == null || value.isNull()) {
            if (fallback == null) {
                throw new IllegalArgumentException(where + "." + field + " is required");
            }
            return fallback;
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException(where + "." + field + " must be a number, was '" + value.asText() + "'");
        }
        return value.asDouble();
    }

    // Loaded on first use, once: the resource ships in the jar, so a failure is a build defect.
    private static final class Defaults {
        static final PriceTable TABLE = load();

        private static PriceTable load() {
            try (InputStream in = PriceTable.class.getResourceAsStream("prices.yaml")) {
                if (in == null) {
                    throw new IllegalStateException("prices.yaml is missing from the classpath");
                }
                return fromYaml(in, "prices.yaml");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
