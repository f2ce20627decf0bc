package io.agentvine.worker.process;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log file of one run: {@code <ISO instant> <tag> <text>} per line, tag {@code out}, {@code err} or
 * {@code sys} (our own notes: started, stopping, ended). Every line is flushed at once, so the file can
 * be tailed while the agent runs, and handed to the run's {@link LogSink} (the live log). Written from
 * both reader threads, hence synchronized.
 */
final class AgentLog implements Closeable {
    static final String OUT = "out";
    static final String ERR = "err";
    static final String SYS = "sys";
    private static final Logger log = LoggerFactory.getLogger(AgentLog.class);

    private final Path file;
    private final Clock clock;
    private final BufferedWriter out;
    private final LogSink sink;
    private boolean closed;
    private long failures;
    private long sinkFailures;

    private AgentLog(Path file, Clock clock, BufferedWriter out, LogSink sink) {
        this.file = file;
        this.clock = clock;
        this.out = out;
        this.sink = sink;
    }

    static AgentLog open(Path file, Clock clock) throws IOException {
        return open(file, clock, LogSink.NONE);
    }

    /** @param sink gets each line as written to the file (the live log) */
    static AgentLog open(Path file, Clock clock, LogSink sink) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        // Appended, not truncated: a retried order keeps the earlier attempts' output above this one.
        return new AgentLog(file, clock, Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), sink);
    }

    synchronized void write(String tag, String text) {
        if (closed) {
            return; // output still arriving after close() (a reader past its drain bound) has nowhere to go
        }
        Instant at = clock.instant();
        try {
            out.write(at.toString());
            out.write(' ');
            out.write(tag);
            out.write(' ');
            out.write(text);
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            // Keep trying (a full disk may get space back), but say so only once.
            if (failures++ == 0) {
                log.warn("cannot write the agent log {}: {}", file, e.toString());
            }
        }
        try {
            sink.accept(at, tag, text);
        } catch (RuntimeException e) {
            if (sinkFailures++ == 0) {
                log.warn("the live log of {} failed on a line (later failures are only counted)", file, e);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (failures > 0) {
            log.warn("{} line(s) could not be written to the agent log {}", failures, file);
        }
        if (sinkFailures > 1) {
            log.warn("the live log of {} failed on {} line(s)", file, sinkFailures);
        }
        try {
            out.close();
        } catch (IOException e) {
            log.warn("closing the agent log {}: {}", file, e.toString());
        }
    }
}
