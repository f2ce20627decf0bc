package io.agentvine.controller.history;

import io.agentvine.controller.domain.InvalidInputException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The groups of events a dashboard region follows (the one definition: every event's SSE data names its
 * groups, {@code "groups": ["fleet", "tasks"]}, and a stream can ask for only some, {@code ?groups=fleet,attention}).
 * <ul>
 * <li>{@code fleet}: what changes a worker's card — a worker registered or changed health, and any task event
 *   that names the worker running it (started, step, progress, completed, failed, cancelled, recovered); a task
 *   queued or cancelled before any worker held it is not the fleet's business;</li>
 * <li>{@code queue}: what changes a type's waiting orders;</li>
 * <li>{@code attention}: questions and approvals (the badge on every page);</li>
 * <li>{@code tasks}: every task event, queue changes and clarifications (the task list and the task page).</li>
 * </ul>
 */
public enum EventGroup {
    FLEET {
        @Override
        boolean contains(String type, String workerId) {
            return type.startsWith("worker_") || (type.startsWith("task_") && workerId != null);
        }
    },
    QUEUE {
        private static final Set<String> TYPES = Set.of("queue_updated", "task_queued", "task_started", "task_cancelled",
                "task_failed", "task_completed");

        @Override
        boolean contains(String type, String workerId) {
            return TYPES.contains(type);
        }
    },
    ATTENTION {
        @Override
        boolean contains(String type, String workerId) {
            return type.startsWith("clarification_");
        }
    },
    TASKS {
        @Override
        boolean contains(String type, String workerId) {
            return type.startsWith("task_") || type.equals("queue_updated") || type.startsWith("clarification_");
        }
    };

    /** Whether an event of {@code type}, about worker {@code workerId} (null: none), belongs to this group. */
    abstract boolean contains(String type, String workerId);

    /** The name on the wire: {@code fleet}, {@code queue}, {@code attention}, {@code tasks}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The groups of one event. */
    public static Set<EventGroup> of(String type, String workerId) {
        Set<EventGroup> groups = EnumSet.noneOf(EventGroup.class);
        for (EventGroup g : values()) {
            if (g.contains(type, workerId)) {
                groups.add(g);
            }
        }
        return groups;
    }

    /**
     * A stream's {@code groups} parameter: comma-separated names; null or blank means every event (an empty set).
     *
     * @throws InvalidInputException naming the field {@code groups} for a name that is no group
     */
    public static Set<EventGroup> parse(String csv) {
        Set<EventGroup> groups = EnumSet.noneOf(EventGroup.class);
        if (csv == null || csv.isBlank()) {
            return groups;
        }
        for (String part : csv.split(",", -1)) {
            String name = part.trim();
            EventGroup g = Arrays.stream(values()).filter(v -> v.wireName().equals(name)).findFirst()
                    .orElseThrow(() -> new InvalidInputException("groups", "unknown event group '"
                            + (name.length() > 40 ? name.substring(0, 40) + "…" : name) + "'; the groups are "
                            + Arrays.stream(values()).map(EventGroup::wireName).collect(Collectors.joining(", "))));
            groups.add(g);
        }
        return groups;
    }
}
