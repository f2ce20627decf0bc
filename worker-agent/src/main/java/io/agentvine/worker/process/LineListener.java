package io.agentvine.worker.process;

/** Receives the agent's output line by line, as it comes (progress events, usage parsing). */
@FunctionalInterface
public interface LineListener {
    enum Stream { STDOUT, STDERR }

    LineListener NONE = (stream, line) -> { };

    void onLine(Stream stream, String line);
}
