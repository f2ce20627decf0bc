package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A worker's periodic "still alive", answered by a {@link HeartbeatReply}. It renews the worker's
 * lease and tells the controller what the worker is doing.
 *
 * <p>{@code status} and {@code current_tasks} are not cross-checked: a heartbeat that is a little
 * inconsistent must still renew the lease, and the controller counts load from the task list.
 *
 * @param workerId      the id from the {@link RegistrationReply}
 * @param currentTasks  the orders running now, each work order once (at most
 *                      {@value WorkerRegistration#MAX_CONCURRENT_TASKS})
 * @param metrics       host resources, or null when the worker does not collect them
 * @param sentAt        the worker's clock when it sent the beat; the controller compares it with its own
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Heartbeat(
        Integer schemaVersion,
        String workerId,
        WorkerStatus status,
        List<CurrentTask> currentTasks,
        WorkerMetrics metrics,
        Instant sentAt,
        Map<String, Object> metadata) {

    public Heartbeat {
        schemaVersion = Check.schemaVersion(schemaVersion);
        Check.id(workerId, "worker_id");
        Check.required(status, "status");
        currentTasks = Check.list(currentTasks, "current_tasks");
        if (currentTasks.size() > WorkerRegistration.MAX_CONCURRENT_TASKS) {
            throw new InvalidMessageException("current_tasks", "has " + currentTasks.size()
                    + " entries; the limit is " + WorkerRegistration.MAX_CONCURRENT_TASKS);
        }
        // The same order twice would count one lease as two running tasks.
        Set<String> seen = new HashSet<>();
        for (CurrentTask task : currentTasks) {
            if (!seen.add(task.workOrderId())) {
                throw new InvalidMessageException("current_tasks",
                        "lists work order '" + task.workOrderId() + "' more than once");
            }
        }
        Check.required(sentAt, "sent_at");
        metadata = Check.metadata(metadata, "metadata");
    }
}
