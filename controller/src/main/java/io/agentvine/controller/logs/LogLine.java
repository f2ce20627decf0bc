package io.agentvine.controller.logs;

import io.agentvine.queue.AttemptLogStream;
import java.time.Instant;

/** One line of an attempt's live log: its entry id, when it was written, {@code out}, {@code err} or {@code sys}, the (masked) text. */
public record LogLine(String id, Instant at, String stream, String text) {
    static LogLine of(AttemptLogStream.Entry e) {
        return new LogLine(e.id(), e.at(), e.stream(), e.text());
    }
}
