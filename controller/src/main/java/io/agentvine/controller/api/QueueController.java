package io.agentvine.controller.api;

import io.agentvine.model.QueueLevel;
import io.agentvine.model.TaskType;
import io.agentvine.model.TaskTypes;
import io.agentvine.queue.QueueStats;
import io.agentvine.queue.WorkQueue;
import io.agentvine.controller.history.EventLog;
import io.agentvine.controller.security.Roles;
import io.agentvine.controller.tasks.QueueView;
import io.agentvine.controller.tasks.QueueViews;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Controller("/api/v1/queue")
@ExecuteOn(TaskExecutors.BLOCKING)
public class QueueController {
    /** One type's queue: depth per level, paused, in flight, delayed, dead, and what waits, in claim order. */
    public record TypeQueue(String type, Map<String, Long> depth, boolean paused, boolean budgetPaused, long inFlight, long delayed, long dead,
                            List<String> queued) {
    }

    private static final int LIST_LIMIT = 100;
    private final WorkQueue queue;
    private final TaskTypes taskTypes;
    private final EventLog events;
    private final QueueViews views;

    public QueueController(WorkQueue queue, TaskTypes taskTypes, EventLog events, QueueViews views) {
        this.queue = queue;
        this.taskTypes = taskTypes;
        this.events = events;
        this.views = views;
    }

    /**
     * One type's queue in detail: a page ({@code offset}, {@code limit}, default 50, at most 200) of its waiting
     * orders in run order with title, priority, enqueue time and position, of its delayed orders with their
     * retry time and last failure, and of its dead letters with their reason and time.
     */
    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get("/{type}")
    public QueueView detail(@PathVariable String type, @QueryValue(defaultValue = "0") int offset,
                            @QueryValue(defaultValue = "50") int limit) {
        return views.of(type, offset, limit);
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get
    public List<TypeQueue> all() {
        return taskTypes.allowed().stream().sorted(Comparator.comparing(TaskType::name)).map(t -> {
            QueueStats s = queue.stats(t);
            Map<String, Long> depth = new LinkedHashMap<>();
            List<String> ids = new ArrayList<>();
            for (QueueLevel level : QueueLevel.values()) {
                depth.put(level.wireName(), s.depth(level));
                if (ids.size() < LIST_LIMIT) {
                    ids.addAll(queue.queuedIds(t, level, 0, LIST_LIMIT - ids.size()));
                }
            }
            return new TypeQueue(t.name(), depth, s.paused(), s.budgetPaused(), s.inFlight(), s.delayed(), s.dead(), ids);
        }).toList();
    }

    @Secured(Roles.ADMIN)
    @Post("/{type}/pause")
    public HttpResponse<Void> pause(@PathVariable String type) {
        TaskType t = taskTypes.require(type);
        queue.pause(t);
        events.append("queue_updated", null, null, Map.of("type", t.name(), "paused", true));
        return HttpResponse.status(HttpStatus.ACCEPTED);
    }

    @Secured(Roles.ADMIN)
    @Post("/{type}/resume")
    public HttpResponse<Void> resume(@PathVariable String type) {
        TaskType t = taskTypes.require(type);
        queue.resume(t);
        events.append("queue_updated", null, null, Map.of("type", t.name(), "paused", false));
        return HttpResponse.status(HttpStatus.ACCEPTED);
    }
}
