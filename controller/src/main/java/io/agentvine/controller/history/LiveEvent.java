package io.agentvine.controller.history;

import io.agentvine.controller.persistence.EventRow;
import io.agentvine.model.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One event of the log as every stream sends it, encoded once ({@link EventFeed} makes one per event read,
 * however many streams get it): its id, type and {@link EventGroup groups} for filtering, and {@code frame},
 * the whole Server-Sent Events frame —
 * <pre>
 * id: 42
 * event: task_started
 * data: {"id":42,"type":"task_started","at":"…", …the event's fields…, "groups":["fleet","queue","tasks"]}
 * </pre>
 * followed by the empty line that ends it. The bytes are shared by every stream: nobody may change them.
 */
public record LiveEvent(long id, String type, Set<EventGroup> groups, byte[] frame) {

    /** Encodes a row of the log (its payload is parsed once, here). */
    @SuppressWarnings("unchecked")
    public static LiveEvent of(EventRow row) {
        Set<EventGroup> groups = EventGroup.of(row.type(), row.workerId());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", row.id());
        data.put("type", row.type());
        data.put("at", row.createdAt().toString());
        data.putAll(Json.read(row.payload(), Map.class));
        data.put("groups", groups.stream().map(EventGroup::wireName).toList());
        // JSON written compactly has no line break, so the data is one "data:" line.
        String frame = "id: " + row.id() + "\nevent: " + row.type() + "\ndata: " + Json.write(data) + "\n\n";
        return new LiveEvent(row.id(), row.type(), groups, frame.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether a stream that asked for {@code wanted} (empty: everything) gets this event. */
    public boolean matches(Set<EventGroup> wanted) {
        if (wanted.isEmpty()) {
            return true;
        }
        for (EventGroup g : groups) {
            if (wanted.contains(g)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "LiveEvent[" + id + " " + type + " " + groups + "]";
    }
}
