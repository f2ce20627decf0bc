package io.agentvine.controller.lifecycle;

import io.agentvine.controller.config.ScheduledCheck;
import io.agentvine.controller.domain.Disagreements;
import io.agentvine.controller.persistence.TaskRepository;
import io.agentvine.controller.persistence.TaskRow;
import io.agentvine.loop.Wakeup;
import io.agentvine.model.Json;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.model.TaskType;
import io.agentvine.model.TaskTypes;
import io.agentvine.model.WorkOrderState;
import io.agentvine.queue.WorkQueue;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parks whose report never arrived. A worker parks its order in Redis, then reports the park on the lifecycle stream;
 * killed in between (or Redis unreachable for the report), the task stays running in the database while its order
 * waits parked in Redis: no sweeper recovers a parked order, and no decision brings back a task that is not parked —
 * it would wait for ever. The worker keeps its report on the parked order as well ({@link WorkQueue#park(
 * io.agentvine.queue.Claim, String)}); an order parked for longer than {@link #GRACE} whose task still runs, once the
 * lifecycle consumer has applied every report written when that was first seen, has its park applied from there —
 * the same event, so a report that arrives after all changes nothing.
 */
@Singleton
public class LostParkReports {
    static final Duration GRACE = Duration.ofMinutes(2);
    private static final Logger log = LoggerFactory.getLogger(LostParkReports.class);
    private static final int BATCH = 100;

    private final WorkQueue queue;
    private final TaskTypes taskTypes;
    private final TaskRepository tasks;
    private final LifecycleApplier applier;
    private final Clock clock;
    private final Disagreements unreported;

    public LostParkReports(WorkQueue queue, TaskTypes taskTypes, TaskRepository tasks, LifecycleApplier applier,
                           LifecycleConsumer reports, Clock clock) {
        this.queue = queue;
        this.taskTypes = taskTypes;
        this.tasks = tasks;
        this.applier = applier;
        this.clock = clock;
        this.unreported = new Disagreements(() -> reports);
    }

    /** Applies the park of every task whose park report was lost; returns their ids. */
    public List<String> runOnce() {
        List<String> adopted = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Instant before = clock.instant().minus(GRACE);
        for (TaskType type : taskTypes.allowed()) {
            List<WorkQueue.ParkedOrder> page = List.of();
            for (int offset = 0; offset == 0 || page.size() == BATCH; offset += BATCH) {
                page = queue.parkedBefore(type, before, offset, BATCH); // every one: most wait for hours, rightly
                adopt(page, seen, adopted);
            }
        }
        unreported.keepOnly(seen);
        return adopted;
    }

    private void adopt(List<WorkQueue.ParkedOrder> page, Set<String> seen, List<String> adopted) {
        for (WorkQueue.ParkedOrder o : page) {
            Optional<TaskRow> task = tasks.findById(o.id());
            if (o.report().isEmpty() || task.isEmpty() || !(task.get().state() == WorkOrderState.RUNNING
                    || task.get().state() == WorkOrderState.AWAITING_APPROVAL)) {
                continue; // parked in both, or ended in the database (its cancel removes the order), or no report kept
            }
            seen.add(o.id());
            if (!unreported.settled(o.id())) {
                continue; // its report may still be on the stream: a later pass decides
            }
            LifecycleEvent report = Json.read(o.report(), LifecycleEvent.class);
            if (applier.apply(report)) {
                adopted.add(o.id());
                log.warn("task {}: its worker {} parked it at {} and its report never arrived; the park is applied from the order",
                        o.id(), o.workerId(), o.parkedAt());
            }
        }
    }

    /** Runs {@link #runOnce()} every minute in the loop {@code lost-park-reports}. */
    @Context
    @Requires(property = "agentvine.background.enabled", notEquals = "false")
    static class Schedule extends ScheduledCheck {
        Schedule(LostParkReports lost) {
            super("lost-park-reports", Duration.ofMinutes(1), new Wakeup(), lost::runOnce);
        }
    }
}
