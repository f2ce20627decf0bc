package io.agentvine.controller.budgets;

import io.agentvine.controller.config.ScheduledCheck;
import io.agentvine.controller.budgets.BudgetStore.ScopeKey;
import io.agentvine.controller.chains.ChainReleaser;
import io.agentvine.controller.domain.DomainException;
import io.agentvine.controller.domain.Disagreements;
import io.agentvine.controller.domain.WorkerReports;
import io.agentvine.controller.domain.TaskEvent;
import io.agentvine.controller.history.EventLog;
import io.agentvine.controller.persistence.TaskRow;
import io.agentvine.controller.tasks.TaskService;
import io.agentvine.model.TaskType;
import io.agentvine.model.TaskTypes;
import io.agentvine.model.WorkOrderState;
import io.agentvine.queue.WorkQueue;
import io.agentvine.queue.WorkQueueException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on the budgets ({@link Budgets#states()}), in {@link #runOnce()}: fires each threshold (80, 90, 100 %) of a
 * scope once a day (an event {@code budget_threshold} and the counter {@code agentvine_budget_thresholds_total}),
 * sets the queue's budget pause of the types whose fleet or type cap holds them and lifts it from the others, takes
 * the queued tasks of a held repository or chain out of the queue into {@code waiting} ({@link TaskEvent#BUDGET_HELD})
 * and lifts the hold when its cap no longer holds (raised, resumed, or the day turned: {@link ChainReleaser} then
 * puts them back), and with {@code on-cap: stop} cancels the held scopes' running attempts. Every step reads the
 * database and the queue afresh, so any number of replicas may run it.
 */
@Singleton
public class BudgetEnforcer {
    private static final Logger log = LoggerFactory.getLogger(BudgetEnforcer.class);
    public static final String THRESHOLDS = "agentvine.budget.thresholds";
    static final int[] LEVELS = {80, 90, 100};
    private static final int BATCH = 500;
    private static final Set<String> RUNNING = Set.of(WorkOrderState.RUNNING.wireName(), WorkOrderState.AWAITING_APPROVAL.wireName());

    /** What one pass did. */
    public record Pass(List<String> fired, Set<String> pausedTypes, List<String> held, List<String> unheld, List<String> stopped) {
    }

    private final Budgets budgets;
    private final BudgetHolds holds;
    private final BudgetStore store;
    private final WorkQueue queue;
    private final TaskTypes taskTypes;
    private final TaskService service;
    private final ChainReleaser releaser;
    private final EventLog events;
    private final MeterRegistry meters;
    private final Clock clock;
    /** Queued tasks whose order was found missing ({@link #outOfQueue}). */
    private final Disagreements missing;
    /** Runs this replica asked to stop already (a cancel flag is set once). */
    private final Set<String> stopping = new HashSet<>();

    public BudgetEnforcer(Budgets budgets, BudgetHolds holds, BudgetStore store, WorkQueue queue, TaskTypes taskTypes,
                          TaskService service, ChainReleaser releaser, EventLog events, MeterRegistry meters, Clock clock,
                          WorkerReports lifecycle) {
        this.budgets = budgets;
        this.holds = holds;
        this.store = store;
        this.queue = queue;
        this.taskTypes = taskTypes;
        this.service = service;
        this.releaser = releaser;
        this.events = events;
        this.meters = meters;
        this.clock = clock;
        this.missing = new Disagreements(() -> lifecycle);
    }

    /** Longer than a submission's enqueue can take (the queue's retries through a failover included). */
    static final Duration ENQUEUE_GRACE = Duration.ofMinutes(2);

    public Pass runOnce() {
        LocalDate today = budgets.today();
        List<Budgets.State> states = budgets.states(today);
        List<String> fired = thresholds(states, today);
        Set<ScopeKey> paused = states.stream().filter(Budgets.State::paused).map(Budgets.State::scopeKey).collect(Collectors.toSet());
        holds.paused(paused);
        Set<String> pausedTypes = pauseTypes(paused);
        List<String> held = new ArrayList<>();
        Set<String> queued = new HashSet<>();
        for (ScopeKey k : paused) {
            if (k.scope() == BudgetScope.REPO || k.scope() == BudgetScope.CHAIN) {
                for (String id : store.tasksIn(k, WorkOrderState.QUEUED.wireName(), BATCH)) {
                    queued.add(id);
                    if (holds.hold(id, k, this::outOfQueue)) {
                        held.add(id);
                    }
                }
            }
        }
        missing.keepOnly(queued); // the others run, ended or are no longer held back
        List<String> unheld = unhold(paused);
        List<String> stopped = budgets.caps().onCap() == BudgetSettings.OnCap.STOP ? stop(paused) : List.of();
        return new Pass(fired, pausedTypes, held, unheld, stopped);
    }

    private List<String> thresholds(List<Budgets.State> states, LocalDate today) {
        List<String> fired = new ArrayList<>();
        Instant now = clock.instant();
        for (Budgets.State s : states) {
            for (int level : LEVELS) {
                LocalDate day = s.scopeKey().scope().daily() ? today : Budgets.WHOLE_LIFE;
                if (s.used() * 100 >= level && store.fire(s.scopeKey(), day, level, now)) {
                    Map<String, Object> payload = new LinkedHashMap<>();
                    payload.put("scope", s.scope());
                    payload.put("key", s.key());
                    payload.put("threshold", level);
                    payload.put("day", s.scopeKey().scope().daily() ? today.toString() : null);
                    payload.put("spent_usd", s.spent().usd());
                    payload.put("spent_tokens", s.spent().tokens());
                    payload.put("cap_usd", s.cap().usd());
                    payload.put("cap_tokens", s.cap().tokens());
                    events.append("budget_threshold", null, null, payload);
                    Counter.builder(THRESHOLDS).description("budget thresholds reached (80, 90, 100 % of a cap)")
                            .tags("scope", s.scope(), "threshold", Integer.toString(level)).register(meters).increment();
                    log.warn("budget {} {} reached {} % of its cap (spent {} USD, {} tokens)", s.scope(), s.key(), level,
                            s.spent().usd(), s.spent().tokens());
                    fired.add(s.scope() + ":" + s.key() + ":" + level);
                }
            }
        }
        return fired;
    }

    /** The queue's budget pause on the types the fleet's or their own cap holds, off the others; returns the paused. */
    private Set<String> pauseTypes(Set<ScopeKey> paused) {
        boolean fleet = paused.contains(new ScopeKey(BudgetScope.FLEET, BudgetScope.FLEET_KEY));
        Set<String> out = new HashSet<>();
        for (TaskType t : taskTypes.allowed()) {
            boolean want = fleet || paused.contains(new ScopeKey(BudgetScope.TYPE, t.name()));
            if (want) {
                out.add(t.name());
            }
            if (queue.stats(t).budgetPaused() != want) {
                queue.budgetPause(t, want);
                events.append("queue_updated", null, null, Map.of("type", t.name(), "budget_paused", want));
                log.info("claims of type {} {} (budget)", t.name(), want ? "wait: a cap is reached" : "go on");
            }
        }
        return out;
    }

    /**
     * Whether queued task {@code t}'s order is out of the queue: taken out now, or missing — an earlier pass took it out
     * and died before its commit. A task that became queued less than {@link #ENQUEUE_GRACE} ago is not judged by its
     * absence: its submission (on this replica or another, from a verdict older than this pass's) may not have
     * enqueued it yet, and held now it would be enqueued all the same — run past the cap, and again when the hold
     * lifts. The next pass takes it out of the queue once it is there.
     */
    /**
     * Takes queued task {@code t}'s order out of the queue (asked under the task's row lock). An order that is missing
     * counts as out of the queue only when both hold: the task has been queued for longer than its enqueue can take
     * ({@link #ENQUEUE_GRACE}: else it may not be enqueued yet), and the lifecycle consumer has applied everything the
     * workers had written when the order was first found missing (else a worker may have run and acknowledged it,
     * its report not applied yet: held, it would run again when the hold lifts). What is left is an order a pass took
     * out and died before its commit.
     */
    private boolean outOfQueue(TaskRow t) {
        TaskType type = TaskType.of(t.type());
        try {
            if (queue.remove(type, t.id())) {
                missing.agreed(t.id());
                return true;
            }
            if (!t.updatedAt().isBefore(clock.instant().minus(ENQUEUE_GRACE)) || queue.get(type, t.id()).isPresent()) {
                return false;
            }
        } catch (WorkQueueException claimed) {
            return false; // a worker took it meanwhile: it runs
        }
        return missing.settled(t.id()); // false while the workers' reports are behind: a later pass decides
    }

    /** Lifts the holds whose scope no longer holds; the chain releaser puts those tasks back into the queue. */
    private List<String> unhold(Set<ScopeKey> paused) {
        List<String> unheld = new ArrayList<>();
        for (BudgetStore.Hold h : store.holds()) {
            if (!paused.contains(h.by())) {
                store.unhold(h.taskId());
                unheld.add(h.taskId());
            }
        }
        if (!unheld.isEmpty()) {
            log.info("budget holds lifted from {} task(s): back into the queue", unheld.size());
            releaser.runOnce();
        }
        return unheld;
    }

    /** {@code on-cap: stop}: cancels the running attempts of every held scope (each once). */
    private List<String> stop(Set<ScopeKey> paused) {
        List<String> stopped = new ArrayList<>();
        Set<String> running = new HashSet<>();
        for (ScopeKey k : paused) {
            for (String state : RUNNING) {
                for (String id : store.tasksIn(k, state, BATCH)) {
                    running.add(id);
                    if (stopping.add(id)) {
                        try {
                            service.cancel(id);
                            stopped.add(id);
                            log.info("task {} stopped: the {} {} reached its budget cap", id, k.scope().wireName(), k.key());
                        } catch (DomainException ended) {
                            log.debug("task {} ended before its budget stop", id);
                        }
                    }
                }
            }
        }
        stopping.retainAll(running);
        return stopped;
    }

    /** Runs {@link #runOnce()} in the loop {@code budgets}, started with the application and stopped with it. */
    @Context
    @Requires(property = "agentvine.background.enabled", notEquals = "false")
    static class Schedule extends ScheduledCheck {
        Schedule(BudgetEnforcer enforcer, Budgets budgets, BudgetSettings settings) {
            super("budgets", settings.getCheck(), budgets.wakeup(), enforcer::runOnce);
        }
    }
}
