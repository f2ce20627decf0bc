package io.agentvine.worker.process;

/**
 * Receives an agent's output line by line as it comes (progress events, usage parsing). Lines arrive
 * with their terminator removed and secret values masked, after they were written to the log file.
 *
 * <p>Called on the reader thread of the line's stream: the lines of one stream arrive in order, one at
 * a time; stdout and stderr lines arrive concurrently. Be quick: while the listener runs, that stream is
 * not read, and once the pipe is full the agent blocks on its next write. An exception is logged and
 * the reading goes on.
 */
@FunctionalInterface
public interface LineListener {
    enum Stream { STDOUT, STDERR }

    LineListener NONE = (stream, line) -> { };

    void onLine(Stream stream, String line);
}
