package io.agentvine.controller.budgets;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The configured budgets, read from {@link BudgetSettings} and checked once at start: a wrong value stops the
 * controller with a message naming its setting.
 */
public record BudgetCaps(Cap fleet, Map<String, Cap> types, Map<String, Cap> repos, long chainTokens,
                         BudgetSettings.OnCap onCap, ZoneId zone) {

    public static BudgetCaps of(BudgetSettings s) {
        Map<String, Cap> types = new LinkedHashMap<>();
        merge(types, list("agentvine.budgets.type-usd", s.getTypeUsd(), false), (k, v) -> new Cap(v, null));
        merge(types, list("agentvine.budgets.type-tokens", s.getTypeTokens(), true), (k, v) -> new Cap(null, v.longValue()));
        Map<String, Cap> repos = new LinkedHashMap<>();
        merge(repos, repositories("agentvine.budgets.repo-usd", list("agentvine.budgets.repo-usd", s.getRepoUsd(), false)),
                (k, v) -> new Cap(v, null));
        merge(repos, repositories("agentvine.budgets.repo-tokens", list("agentvine.budgets.repo-tokens", s.getRepoTokens(), true)),
                (k, v) -> new Cap(null, v.longValue()));
        require(s.getFleetUsd() >= 0, "agentvine.budgets.fleet-usd", "must not be negative, was " + s.getFleetUsd());
        require(s.getFleetTokens() >= 0, "agentvine.budgets.fleet-tokens", "must not be negative, was " + s.getFleetTokens());
        require(s.getChainTokens() >= 0, "agentvine.budgets.chain-tokens", "must not be negative, was " + s.getChainTokens());
        require(s.getCheck() != null && !s.getCheck().isNegative() && !s.getCheck().isZero(), "agentvine.budgets.check",
                "must be a positive duration, was " + s.getCheck());
        BudgetSettings.OnCap onCap;
        try {
            onCap = BudgetSettings.OnCap.valueOf(s.getOnCap().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("agentvine.budgets.on-cap (AGENTVINE_BUDGETS_ON_CAP): must be finish or stop, was '"
                    + s.getOnCap() + "'");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(s.getZone().trim());
        } catch (DateTimeException | NullPointerException e) {
            throw new IllegalArgumentException("agentvine.budgets.zone (AGENTVINE_BUDGETS_ZONE): must be a time zone or an offset"
                    + " such as UTC, +02:00 or Europe/Berlin, was '" + s.getZone() + "'");
        }
        return new BudgetCaps(new Cap(s.getFleetUsd(), s.getFleetTokens()), Map.copyOf(types), Map.copyOf(repos),
                s.getChainTokens(), onCap, zone);
    }

    /** The configured cap of {@code scope}'s {@code key} (none when not configured). */
    public Cap configured(BudgetScope scope, String key) {
        return switch (scope) {
            case FLEET -> fleet;
            case TYPE -> types.getOrDefault(key, Cap.NONE);
            case REPO -> repos.getOrDefault(key, Cap.NONE);
            case CHAIN -> new Cap(null, chainTokens);
        };
    }

    private static void merge(Map<String, Cap> into, Map<String, Double> values, BiFunction<String, Double, Cap> cap) {
        values.forEach((k, v) -> into.merge(k, cap.apply(k, v), Cap::or));
    }

    /** The entries keyed by their repository's key (one repository given twice in two forms of its URL: refused). */
    private static Map<String, Double> repositories(String setting, Map<String, Double> byUrl) {
        String env = setting.replace("agentvine.budgets.", "AGENTVINE_BUDGETS_").replace('-', '_').toUpperCase(Locale.ROOT);
        Map<String, Double> out = new LinkedHashMap<>();
        byUrl.forEach((url, v) -> {
            String key;
            try {
                key = BudgetScope.repositoryKey(url, setting);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(setting + " (" + env + "): '" + url + "' is no repository URL");
            }
            require(out.put(key, v) == null, setting + " (" + env + ")", "the repository " + key + " is given twice");
        });
        return out;
    }

    private static Map<String, Double> list(String setting, String value, boolean whole) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (value == null || value.isBlank()) {
            return out;
        }
        String env = setting.replace("agentvine.budgets.", "AGENTVINE_BUDGETS_").replace('-', '_').toUpperCase(Locale.ROOT);
        for (String entry : value.split(",")) {
            int eq = entry.lastIndexOf('=');
            String name = eq < 0 ? "" : entry.substring(0, eq).trim();
            String amount = eq < 0 ? "" : entry.substring(eq + 1).trim();
            require(!name.isEmpty(), setting + " (" + env + ")", "each entry must be name=amount, was '" + entry.trim() + "'");
            double v;
            try {
                v = whole ? Long.parseLong(amount) : Double.parseDouble(amount);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(setting + " (" + env + "): the amount of '" + name + "' must be a "
                        + (whole ? "whole number of tokens" : "number (USD)") + ", was '" + amount + "'");
            }
            require(v > 0 && Double.isFinite(v), setting + " (" + env + ")", "the amount of '" + name + "' must be above 0, was " + amount);
            require(out.put(name, v) == null, setting + " (" + env + ")", "'" + name + "' is given twice");
        }
        return out;
    }

    private static void require(boolean ok, String setting, String message) {
        if (!ok) {
            throw new IllegalArgumentException(setting + ": " + message);
        }
    }
}
