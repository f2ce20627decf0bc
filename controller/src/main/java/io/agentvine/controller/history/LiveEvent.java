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
 * followed by the empty line that ends it. The frame is encoded at the first stream that sends the event, once
 * (an event no stream sends — e.g. one only the Fleet cards' feed follows — is never parsed nor encoded); the
 * bytes are shared by every stream: nobody may change them.
 */
public final class LiveEvent {
    private final long id;
    private final String type;
    private final Set<EventGroup> groups;
    private final EventRow row;
    private volatile byte[] frame;

    private LiveEvent(EventRow row, Set<EventGroup> groups) {
        this.id = row.id();
        this.type = row.type();
        this.groups = groups;
        this.row = row;
    }

    /** A row of the log, its groups known (from its type and worker: no parsing); its frame is made when first asked. */
    public static LiveEvent of(EventRow row) {
        return new LiveEvent(row, EventGroup.of(row.type(), row.workerId()));
    }

    public long id() {
        return id;
    }

    public String type() {
        return type;
    }

    public Set<EventGroup> groups() {
        return groups;
    }

    /** The whole SSE frame, encoded once (the payload parsed here), the same bytes for every caller. */
    public byte[] frame() {
        byte[] f = frame;
        if (f == null) {
            synchronized (this) {
                f = frame;
                if (f == null) {
                    f = encode();
                    frame = f;
                }
            }
        }
        return f;
    }

    @SuppressWarnings("unchecked")
    private byte[] encode() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", row.id());
        data.put("type", row.type());
        data.put("at", row.createdAt().toString());
        data.putAll(Json.read(row.payload(), Map.class));
        data.put("groups", groups.stream().map(EventGroup::wireName).toList());
        // JSON written compactly has no line break, so the data is one "data:" line.
        String text = "id: " + row.id() + "\nevent: " + row.type() + "\ndata: " + Json.write(data) + "\n\n";
        return text.getBytes(StandardCharsets.UTF_8);
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
