package io.agentvine.controller.budgets;

import io.agentvine.controller.budgets.BudgetStore.ScopeKey;
import io.agentvine.controller.chains.ChainSettings;
import io.agentvine.controller.domain.InvalidInputException;
import io.agentvine.controller.domain.NotFoundException;
import io.agentvine.controller.input.Texts;
import io.agentvine.controller.persistence.TaskRow;
import io.agentvine.loop.Wakeup;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.model.TaskTypes;
import io.agentvine.model.WorkBranches;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.transaction.annotation.TransactionalEventListener;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Budgets in layers (README "Budgets"): what each scope spent (the fleet, each type and each repository today; each
 * open chain over its life), against its cap (an operator's, else the configured one), and whether the cap holds
 * the scope's new claims: reached, and not resumed by an operator for the day. {@link BudgetEnforcer} acts on it.
 */
@Singleton
public class Budgets {
    /** The budget's day of a chain's thresholds (a chain's cap is not daily: its thresholds fire once in its life). */
    static final LocalDate WHOLE_LIFE = LocalDate.EPOCH;

    /** A scope as it stands: its cap, what it spent, the share of the cap used, and whether its claims wait. */
    @Introspected
    public record State(String scope, String key, Cap cap, Spend spent, double used, boolean resumed, boolean paused) {
        ScopeKey scopeKey() {
            return new ScopeKey(BudgetScope.fromWire(scope, "scope"), key);
        }
    }

    private final BudgetStore store;
    private final BudgetCaps caps;
    private final ChainSettings chains;
    private final TaskTypes taskTypes;
    private final Clock clock;
    private final Wakeup wakeup = new Wakeup();
    private final ApplicationEventPublisher<BudgetSpent> spending;

    public Budgets(BudgetStore store, BudgetSettings settings, ChainSettings chains, TaskTypes taskTypes, Clock clock,
                   ApplicationEventPublisher<BudgetSpent> spending) {
        this.store = store;
        this.caps = BudgetCaps.of(settings);
        this.chains = chains;
        this.taskTypes = taskTypes;
        this.clock = clock;
        this.spending = spending;
    }

    /**
     * Usage was counted: the enforcer looks at once — after the counting transaction committed (woken before it, its
     * pass would read the spending as it was and the cap would hold only at the next periodic check).
     */
    @TransactionalEventListener(TransactionalEventListener.TransactionPhase.AFTER_COMMIT)
    void onSpent(BudgetSpent spent) {
        wakeup.ring();
    }

    BudgetCaps caps() {
        return caps;
    }

    Wakeup wakeup() {
        return wakeup;
    }

    /** Today, in the budgets' zone. */
    public LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), caps.zone());
    }

    /**
     * A run reported usage: {@code tokens} (input and output) and {@code usd} count on its row of today. Called once
     * per lifecycle event (the event's id is recorded first), so a run counts once, whatever the redeliveries.
     */
    public void spent(TaskRow task, LifecycleEvent e, long tokens, double usd) {
        if (tokens <= 0 && usd <= 0) {
            return;
        }
        store.add(new BudgetStore.Run(e.taskId() + "/" + e.attempt() + "/" + e.workerId(), today(), task.id(), task.type(),
                WorkBranches.repositoryKey(task.repositoryUrl()), store.chainOf(task.id())), new Spend(Math.max(usd, 0), Math.max(tokens, 0)));
        spending.publishEvent(new BudgetSpent(task.id()));
    }

    /** Every scope with a cap or with spending, the fleet first, then types, repositories and chains by key; today. */
    public List<State> states() {
        return states(today());
    }

    /** {@link #states()} on {@code day} (a pass of the enforcer reads the clock once: its thresholds fire on that day). */
    public List<State> states(LocalDate day) {
        Map<ScopeKey, Spend> daily = store.daily(day);
        Map<ScopeKey, Cap> overrides = store.overrides();
        Set<ScopeKey> resumed = new HashSet<>(store.resumed(day));
        Set<ScopeKey> keys = new LinkedHashSet<>(daily.keySet());
        caps.types().keySet().forEach(k -> keys.add(new ScopeKey(BudgetScope.TYPE, k)));
        caps.repos().keySet().forEach(k -> keys.add(new ScopeKey(BudgetScope.REPO, k)));
        overrides.keySet().stream().filter(k -> k.scope().daily()).forEach(keys::add);
        List<State> out = new ArrayList<>();
        for (ScopeKey k : keys) {
            Cap cap = overrides.getOrDefault(k, Cap.NONE).or(caps.configured(k.scope(), k.key()));
            out.add(state(k, cap, daily.getOrDefault(k, Spend.ZERO), resumed.contains(k)));
        }
        for (BudgetStore.ChainSpend c : store.openChains().values()) {
            ScopeKey k = new ScopeKey(BudgetScope.CHAIN, c.chainId());
            Cap own = new Cap(c.maxCostUsd() != null ? c.maxCostUsd() : chains.getMaxCostUsd(), caps.chainTokens());
            out.add(state(k, overrides.getOrDefault(k, Cap.NONE).or(own), c.spend(), resumed.contains(k)));
        }
        out.sort(Comparator.comparing((State s) -> BudgetScope.fromWire(s.scope(), "scope")).thenComparing(State::key));
        return out;
    }

    private static State state(ScopeKey k, Cap cap, Spend spent, boolean resumed) {
        double used = cap.used(spent);
        return new State(k.scope().wireName(), k.key(), cap, spent, used, resumed, !cap.none() && used >= 1.0 && !resumed);
    }

    /** An operator's cap for the scope, in place of the configured one (a unit left out keeps the configured one). */
    public State setCap(String scope, String key, Cap cap) {
        ScopeKey k = scopeKey(scope, key);
        store.setCap(k, cap, clock.instant());
        wakeup.ring();
        return find(k);
    }

    /** An operator lifts the scope's cap for the rest of its day (for a chain: today). */
    public State resume(String scope, String key) {
        ScopeKey k = scopeKey(scope, key);
        store.resume(k, today(), clock.instant());
        wakeup.ring();
        return find(k);
    }

    private State find(ScopeKey k) {
        return states().stream().filter(s -> s.scopeKey().equals(k)).findFirst()
                .orElse(new State(k.scope().wireName(), k.key(), Cap.NONE, Spend.ZERO, 0, false, false));
    }

    private ScopeKey scopeKey(String scope, String key) {
        BudgetScope s = BudgetScope.fromWire(scope, "scope");
        if (key == null || key.isBlank() || key.length() > 2000) {
            throw new InvalidInputException("key", "must be 1 to 2000 characters");
        }
        // No scope's key holds a control character; a NUL would reach the database (PostgreSQL refuses it: 500).
        Texts.line(key, "key", 2000);
        switch (s) {
            case FLEET -> {
                if (!BudgetScope.FLEET_KEY.equals(key)) {
                    throw new InvalidInputException("key", "the fleet's key is '" + BudgetScope.FLEET_KEY + "', was '" + key + "'");
                }
            }
            case TYPE -> taskTypes.require(key);
            case CHAIN -> {
                if (!key.equals(store.chainOf(key))) {
                    throw new NotFoundException("chain", key);
                }
            }
            case REPO -> {
                return new ScopeKey(s, BudgetScope.repositoryKey(key, "key"));
            }
        }
        return new ScopeKey(s, key);
    }
}
