package io.agentvine.worker.agent.output;

import io.agentvine.model.TokenUsage;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Puts a cost on tokens for one run, saying once per model when the price table cannot. */
final class Pricing {
    private static final Logger log = LoggerFactory.getLogger(Pricing.class);

    private final PriceTable prices;
    private final String runModel;
    private final Set<String> unknown = ConcurrentHashMap.newKeySet();

    /** @param runModel the model the run was started with; may be null when the task named none */
    Pricing(PriceTable prices, String runModel) {
        this.prices = Objects.requireNonNull(prices, "prices");
        this.runModel = runModel;
    }

    String runModel() {
        return runModel;
    }

    /** The cost on the run's model; null when it has no price. */
    Double cost(TokenUsage tokens) {
        return cost(runModel, tokens);
    }

    /** The cost of tokens on a model (zero tokens cost nothing, whatever the model); null when it has no price. */
    Double cost(String model, TokenUsage tokens) {
        if (tokens.total() == 0) {
            return 0.0;
        }
        Double cost = prices.cost(model, tokens).orElse(null);
        if (cost == null && unknown.add(String.valueOf(model))) {
            if (model == null) {
                log.warn("The run names no model, so its cost is reported as unknown");
            } else {
                log.warn("No price for model '{}': its cost is reported as unknown. Add it to the worker's price overrides.",
                        model);
            }
        }
        return cost;
    }
}
