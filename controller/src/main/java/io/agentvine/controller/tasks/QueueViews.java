package io.agentvine.controller.tasks;

import io.agentvine.controller.domain.InvalidInputException;
import io.agentvine.controller.persistence.TaskRepository;
import io.agentvine.controller.persistence.TaskSummary;
import io.agentvine.model.Priority;
import io.agentvine.model.QueueLevel;
import io.agentvine.model.TaskType;
import io.agentvine.model.TaskTypes;
import io.agentvine.queue.QueueListing;
import io.agentvine.queue.QueueStats;
import io.agentvine.queue.WorkQueue;
import jakarta.inject.Singleton;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** What one type's queue holds, for operators ({@link QueueView}): Redis for the lists, the database for the titles (one query). */
@Singleton
public class QueueViews {
    public static final int MAX_LIMIT = 200;
    public static final int MAX_OFFSET = 1_000_000;

    private final WorkQueue queue;
    private final TaskTypes taskTypes;
    private final TaskRepository tasks;

    public QueueViews(WorkQueue queue, TaskTypes taskTypes, TaskRepository tasks) {
        this.queue = queue;
        this.taskTypes = taskTypes;
        this.tasks = tasks;
    }

    public QueueView of(String typeName, int offset, int limit) {
        TaskType type = taskTypes.require(typeName);
        if (offset < 0 || offset > MAX_OFFSET) {
            throw new InvalidInputException("offset", "must be between 0 and " + MAX_OFFSET + ", was " + offset);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit", "must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        QueueStats stats = queue.stats(type);
        QueueListing.WaitingPage waiting = queue.waiting(type, offset, limit);
        QueueListing.Page<QueueListing.Delayed> delayed = queue.delayed(type, offset, limit);
        QueueListing.Page<QueueListing.Dead> dead = queue.dead(type, offset, limit);
        Set<String> ids = new HashSet<>();
        waiting.orders().forEach(o -> ids.add(o.id()));
        delayed.orders().forEach(o -> ids.add(o.id()));
        dead.orders().forEach(o -> ids.add(o.id()));
        Map<String, String> titles = ids.isEmpty() ? Map.of()
                : tasks.findByIdIn(ids).stream().collect(Collectors.toMap(TaskSummary::id, TaskSummary::title));
        Map<String, Long> depth = new LinkedHashMap<>();
        waiting.depth().forEach((level, n) -> depth.put(level.wireName(), n));
        return new QueueView(type.name(), stats.paused(), stats.budgetPaused(), stats.inFlight(), depth, offset, limit,
                new QueueView.Section<>(waiting.total(), waiting.orders().stream().map(o -> new QueueView.Waiting(o.id(),
                        titles.get(o.id()), name(o.priority()), wire(o.level()), o.position(), o.levelPosition(),
                        o.enqueuedAt(), o.attempts(), o.blocked())).toList()),
                new QueueView.Section<>(delayed.total(), delayed.orders().stream().map(o -> new QueueView.Delayed(o.id(),
                        titles.get(o.id()), name(o.priority()), wire(o.level()), o.retryAt(), o.attempts(), o.maxAttempts(),
                        o.lastError())).toList()),
                new QueueView.Section<>(dead.total(), dead.orders().stream().map(o -> new QueueView.Dead(o.id(),
                        titles.get(o.id()), name(o.priority()), wire(o.level()), o.deadAt(), o.attempts(), o.reason()))
                        .toList()));
    }

    private static String name(Priority p) {
        return p == null ? null : p.name();
    }

    private static String wire(QueueLevel l) {
        return l == null ? null : l.wireName();
    }
}
