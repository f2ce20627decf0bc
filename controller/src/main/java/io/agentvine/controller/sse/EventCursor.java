package io.agentvine.controller.sse;

import io.agentvine.controller.domain.InvalidInputException;
import java.util.function.LongSupplier;

/** Where an event stream starts: after {@code Last-Event-ID}, else after {@code ?since}, else at the latest event. */
final class EventCursor {
    private EventCursor() {
    }

    static long start(String lastEventId, Long since, LongSupplier latest) {
        if (since != null && since < 0) {
            throw new InvalidInputException("since", "must be an event id (0 or more), was " + since);
        }
        if (lastEventId != null && !lastEventId.isBlank()) {
            String id = lastEventId.trim();
            try {
                long start = Long.parseLong(id);
                if (start >= 0 && id.chars().allMatch(Character::isDigit)) {
                    return start;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new InvalidInputException("Last-Event-ID", "must be an event id (0 or more), was '"
                    + (id.length() > 40 ? id.substring(0, 40) + "…" : id) + "'");
        }
        return since != null ? since : latest.getAsLong();
    }
}
