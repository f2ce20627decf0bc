package io.agentvine.worker.process;

import java.time.Instant;

/**
 * Receives every line written to a run's log file, as written (secrets masked, with the same instant
 * and tag: {@code out}, {@code err} or {@code sys}), right after it went to the file: the live log's
 * shipper. Called on the writing thread, the agent's readers among them: it must not block; an
 * exception is logged once and the writing goes on.
 */
@FunctionalInterface
public interface LogSink {
    LogSink NONE = (at, tag, text) -> { };

    void accept(Instant at, String tag, String text);
}
