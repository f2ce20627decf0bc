package io.agentvine.controller.sse;

import io.agentvine.controller.history.LiveEvent;
import java.nio.charset.StandardCharsets;

/**
 * A Server-Sent Events frame already encoded, written to the response as it is ({@link SseFrameWriter}): an
 * event of the log, encoded once for every stream ({@link LiveEvent}), a page's own frame already encoded (the Fleet
 * cards: {@code ui.FleetCardsFeed}), or a comment.
 */
public record SseFrame(byte[] bytes) {

    static SseFrame of(LiveEvent event) {
        return new SseFrame(event.frame());
    }

    /** An event named {@code name} with one line of {@code data}, outside the event log (no id). */
    public static SseFrame event(String name, String data) {
        return new SseFrame(("event: " + name + "\ndata: " + data.replace('\n', ' ') + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    /** A comment line ({@code : text}), which clients ignore; {@code text} is one line. */
    static SseFrame comment(String text) {
        return new SseFrame((": " + text.replace('\n', ' ') + "\n\n").getBytes(StandardCharsets.UTF_8));
    }
}
