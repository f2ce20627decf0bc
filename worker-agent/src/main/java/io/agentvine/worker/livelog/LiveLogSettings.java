package io.agentvine.worker.livelog;

import io.agentvine.queue.AttemptLogStream;
import java.time.Duration;

/**
 * How the worker ships its agents' output to the live log.
 *
 * @param retention     how long an attempt's log stays readable after it ended (the stream's EXPIRE; AGENTVINE_LOG_RETENTION, 24h)
 * @param maxLines      about how many lines an attempt's stream keeps (MAXLEN ~; AGENTVINE_LOG_MAX_LINES, 10,000)
 * @param interval      how long lines wait to be shipped together (100 ms)
 * @param batchLines    lines that are shipped at once without waiting for the interval (200)
 * @param bufferLines   lines an attempt buffers while Redis is slow or unreachable before it drops them (10,000)
 */
public record LiveLogSettings(Duration retention, long maxLines, Duration interval, int batchLines, int bufferLines) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);
    public static final int DEFAULT_BATCH_LINES = 200;
    public static final int DEFAULT_BUFFER_LINES = 10_000;

    public LiveLogSettings {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive, was " + retention);
        }
        if (maxLines < 1 || batchLines < 1 || bufferLines < batchLines) {
            throw new IllegalArgumentException("maxLines and batchLines must be 1 or more, bufferLines at least batchLines");
        }
    }

    public static LiveLogSettings defaults() {
        return new LiveLogSettings(AttemptLogStream.DEFAULT_RETENTION, AttemptLogStream.DEFAULT_MAX_LINES, DEFAULT_INTERVAL,
                DEFAULT_BATCH_LINES, DEFAULT_BUFFER_LINES);
    }

    public LiveLogSettings with(Duration newRetention, long newMaxLines) {
        return new LiveLogSettings(newRetention, newMaxLines, interval, batchLines, bufferLines);
    }
}
