package io.agentvine.controller.budgets;

import io.agentvine.controller.domain.InvalidInputException;
import io.agentvine.model.WorkBranches;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The layers a budget caps: the whole fleet (key {@code all}), a task type, a repository per day (key: its
 * {@link #repositoryKey repository key}, the same for every form of its URL), and a chain (its first task's id) over
 * its whole life.
 */
public enum BudgetScope {
    FLEET, TYPE, REPO, CHAIN;

    /** The fleet's one key. */
    public static final String FLEET_KEY = "all";

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the cap counts per day (all but a chain's). */
    public boolean daily() {
        return this != CHAIN;
    }

    /**
     * A repository's budget key: host and path as the repository locks name it ({@link WorkBranches#repositoryKey}):
     * {@code https://github.com/acme/shop.git}, {@code https://github.com/acme/shop} and
     * {@code git@github.com:acme/shop.git} are one repository, {@code github.com/acme/shop}, and share one budget.
     *
     * @throws io.agentvine.model.InvalidMessageException naming {@code field} when {@code url} is no repository address
     */
    public static String repositoryKey(String url, String field) {
        return WorkBranches.operatorRepositoryKey(url, field);
    }

    /** @throws InvalidInputException naming {@code field} when {@code value} is no scope */
    public static BudgetScope fromWire(String value, String field) {
        for (BudgetScope s : values()) {
            if (s.wireName().equals(value)) {
                return s;
            }
        }
        throw new InvalidInputException(field, "must be one of " + Arrays.stream(values()).map(BudgetScope::wireName)
                .collect(Collectors.joining(", ")) + ", was '" + value + "'");
    }
}
