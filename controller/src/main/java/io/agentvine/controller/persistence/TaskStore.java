package io.agentvine.controller.persistence;

import io.agentvine.model.Json;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.util.Map;

/** A new task and its {@code task_queued} event, in one commit. */
@Singleton
public class TaskStore {
    private final TaskRepository tasks;
    private final EventRepository events;

    public TaskStore(TaskRepository tasks, EventRepository events) {
        this.tasks = tasks;
        this.events = events;
    }

    @Transactional
    public void insertQueued(TaskRow row, Map<String, Object> event) {
        tasks.save(row);
        events.save(new EventRow(null, "task_queued", row.id(), null, Json.write(event), row.createdAt()));
    }

    /**
     * Changes a task under its row lock, so concurrent writers (lifecycle consumers of several replicas,
     * the sweeper, operators) never overwrite each other's change. {@code change} returns null to leave
     * the row as it is.
     */
    @Transactional
    public java.util.Optional<TaskRow> transition(String id, java.util.function.UnaryOperator<TaskRow> change) {
        return tasks.findByIdForUpdate(id).map(current -> {
            TaskRow next = change.apply(current);
            return next == null || next.equals(current) ? current : tasks.update(next);
        });
    }

    /** Undoes {@link #insertQueued} when the order could not be enqueued. */
    @Transactional
    public void removeUnqueued(String id) {
        events.deleteByTaskIdAndType(id, "task_queued");
        tasks.deleteById(id);
    }
}
