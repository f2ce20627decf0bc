package io.agentvine.controller.history;

import io.agentvine.controller.persistence.EventRepository;
import io.agentvine.controller.persistence.EventRow;
import io.agentvine.model.Json;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The durable event log (table {@code events}): what SSE clients see, with ids they resume from.
 * Event types: worker_registered, worker_health_changed, task_queued, task_started, task_progress,
 * task_completed, task_failed, task_cancelled, task_waiting (a new task waits for its parents: task_id, depends_on),
 * task_released (its parents completed: into the queue), task_step (a running task entered another step: task_id,
 * worker_id, attempt, step, step_since), queue_updated (paused, budget_paused), clarification_requested,
 * clarification_answered, budget_threshold (a budget reached 80, 90 or 100 % of its cap: scope, key, threshold, day,
 * spent_usd, spent_tokens, cap_usd, cap_tokens).
 */
@Singleton
public class EventLog {
    private final EventRepository events;
    private final Clock clock;

    public EventLog(EventRepository events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    public EventRow append(String type, String taskId, String workerId, Map<String, Object> payload) {
        return events.save(new EventRow(null, type, taskId, workerId, Json.write(payload), clock.instant()));
    }

    /** Up to 500 events after {@code id}, oldest first. */
    public List<EventRow> after(long id) {
        return events.findTop500ByIdGreaterThanOrderById(id);
    }

    public long latestId() {
        return events.latestId();
    }
}
