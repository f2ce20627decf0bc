package io.agentvine.worker.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent's output, line by line: each line of stdout or stderr is masked (the values of secret
 * variables), appended to the log file as {@code <ISO instant> out|err <line>}, flushed, then handed
 * to the {@link LineListener}. A failing listener costs a log line, never the reading: a reader that
 * dies leaves the pipe full and the agent blocked.
 */
final class OutputPump {
    private static final Logger log = LoggerFactory.getLogger(OutputPump.class);
    /** Longer lines are split; a piece is delivered and logged as a line of its own. */
    static final int MAX_LINE_CHARS = 1 << 20;

    private final long pid;
    private final AgentLog agentLog;
    private final Secrets secrets;
    private final LineListener listener;

    OutputPump(long pid, AgentLog agentLog, Secrets secrets, LineListener listener) {
        this.pid = pid;
        this.agentLog = agentLog;
        this.secrets = secrets;
        this.listener = listener;
    }

    /** Reads one stream to its end. */
    void pump(InputStream in, LineListener.Stream stream) {
        String tag = stream == LineListener.Stream.STDOUT ? AgentLog.OUT : AgentLog.ERR;
        long listenerFailures = 0;
        try (LineReader lines = new LineReader(new InputStreamReader(in, StandardCharsets.UTF_8), MAX_LINE_CHARS)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String shown = secrets.redact(line);
                agentLog.write(tag, shown);
                try {
                    listener.onLine(stream, shown);
                } catch (Throwable t) {
                    if (listenerFailures++ == 0) {
                        log.warn("agent pid {}: line listener failed on {} (later failures are only counted)", pid, tag, t);
                    }
                }
            }
        } catch (IOException e) {
            log.debug("agent pid {}: {} closed: {}", pid, tag, e.toString());
        } finally {
            if (listenerFailures > 1) {
                log.warn("agent pid {}: line listener failed on {} lines of {}", pid, listenerFailures, tag);
            }
        }
    }
}
