package io.agentvine.controller.tasks;

import io.agentvine.controller.domain.InvalidInputException;
import io.agentvine.controller.persistence.TaskSearch;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * A place in the task list, handed out as {@code next_cursor} / {@code prev_cursor} by {@code GET /api/v1/tasks}
 * and carried by the Tasks page's links: the rows older than a row ({@code older}) or the page just newer than it,
 * and how many rows come before that place (for "26–50", approximate once tasks are added). Opaque to clients:
 * base64url of {@code o|n}, the count, the row's creation instant and its id.
 */
public record TaskCursor(boolean older, long offset, TaskSearch.Key key) {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final int MAX_LENGTH = 400;

    public String encode() {
        return ENCODER.encodeToString(((older ? "o" : "n") + "|" + offset + "|" + key.createdAt() + "|" + key.id())
                .getBytes(StandardCharsets.UTF_8));
    }

    /** A cursor this list handed out; anything else is refused naming {@code field}. */
    public static TaskCursor parse(String text, String field) {
        try {
            if (text.length() > MAX_LENGTH) {
                throw new IllegalArgumentException("too long");
            }
            String[] parts = new String(Base64.getUrlDecoder().decode(text.strip()), StandardCharsets.UTF_8).split("\\|", 4);
            if (parts.length != 4 || !(parts[0].equals("o") || parts[0].equals("n")) || parts[3].isEmpty()) {
                throw new IllegalArgumentException("not a cursor");
            }
            long offset = Long.parseLong(parts[1]);
            if (offset < 0) {
                throw new IllegalArgumentException("negative");
            }
            return new TaskCursor(parts[0].equals("o"), offset, new TaskSearch.Key(Instant.parse(parts[2]), parts[3]));
        } catch (RuntimeException e) {
            String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
            throw new InvalidInputException(field, "is not a cursor of the task list (use a page's next_cursor or prev_cursor as"
                    + " it is), was '" + shown + "'");
        }
    }
}
