package io.agentvine.queue;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import io.agentvine.queue.redis.RedisEndpoint;
import io.agentvine.queue.redis.RedisLink;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The live log of one attempt: a capped Redis stream per (task, attempt) to which the worker ships its
 * agent's output lines, and from which the controller serves {@code GET /api/v1/tasks/{id}/log} and its
 * SSE variant. The worker's log file stays the source of truth; this is a copy for watching.
 *
 * <p>Key {@code <namespace>:log:{<task id>}:<attempt>}; entry fields {@code at} (ISO instant), {@code s}
 * ({@code out}, {@code err}, {@code sys}; {@code end} for the entry that closes the attempt) and {@code t}
 * (the text, secrets masked as in the log file). Trimmed to about {@code maxLines}; once the attempt ends
 * the key expires after the retention.
 *
 * <p>Writing ({@link Writer}) is one pipelined batch: every XADD and the EXPIRE go out in one write on
 * a connection of the writer's own. Reading ({@link #range}, {@link #read}) may share a connection, except
 * that {@link #read} with a block holds it for the block's length.
 */
public final class AttemptLogStream {
    public static final String AT = "at";
    public static final String STREAM = "s";
    public static final String TEXT = "t";
    public static final String OUT = "out";
    public static final String ERR = "err";
    public static final String SYS = "sys";
    public static final String END = "end";
    public static final long DEFAULT_MAX_LINES = 10_000;
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(24);
    private static final Pattern ENTRY_ID = Pattern.compile("\\d{1,20}-\\d{1,20}");

    /** One line to ship. */
    public record Line(Instant at, String stream, String text) {
        public Line {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(stream, "stream");
            Objects.requireNonNull(text, "text");
        }
    }

    /** One entry read back: a line, or the attempt's end ({@link #isEnd()}). */
    public record Entry(String id, Instant at, String stream, String text) {
        public boolean isEnd() {
            return END.equals(stream);
        }
    }

    private final RedisLink connection;

    public AttemptLogStream(StatefulRedisConnection<String, String> connection) {
        this(RedisLink.of(connection));
    }

    /** On any topology; see {@link #read} for what a Cluster changes. */
    public AttemptLogStream(RedisLink connection) {
        this.connection = connection;
    }

    /** {@code <namespace>:log:{<taskId>}:<attempt>}; the task id is a hash tag, so a task's attempts share a slot. */
    public static String key(String namespace, String taskId, int attempt) {
        new QueueKeys(namespace, io.agentvine.model.TaskType.FEATURE); // validates the namespace
        if (taskId == null || taskId.isBlank()) {
            throw new IllegalArgumentException("taskId is required");
        }
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be 1 or more, was " + attempt);
        }
        return namespace + ":log:{" + taskId + "}:" + attempt;
    }

    /** Whether {@code id} has the form of a stream entry id ({@code <ms>-<seq>}). */
    public static boolean isEntryId(String id) {
        return id != null && ENTRY_ID.matcher(id).matches();
    }

    public boolean exists(String key) {
        return connection.sync().exists(key) > 0;
    }

    /** Up to {@code count} entries after {@code afterId} (null: from the first), oldest first. */
    public List<Entry> range(String key, String afterId, int count) {
        Range.Boundary<String> lower = afterId == null ? Range.Boundary.unbounded() : Range.Boundary.excluding(afterId);
        List<StreamMessage<String, String>> messages = connection.sync().xrange(key, Range.from(lower, Range.Boundary.unbounded()),
                io.lettuce.core.Limit.from(count));
        return messages.stream().map(AttemptLogStream::entry).toList();
    }

    /** The stream's last entry, if it has one. */
    public java.util.Optional<Entry> last(String key) {
        List<StreamMessage<String, String>> m = connection.sync().xrevrange(key, Range.create("-", "+"), io.lettuce.core.Limit.from(1));
        return m.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(entry(m.get(0)));
    }

    /**
     * Reads the entries after each key's cursor ({@code key → last id seen}, {@code 0-0} for all), up to
     * {@code count} per key, waiting up to {@code block} for one to arrive (zero: no wait). Keys with
     * nothing new are absent from the answer.
     *
     * <p>On a Redis Cluster one XREAD names keys of one slot only: keys of several slots are read slot by slot
     * without blocking, and when none had anything new, the wait blocks on the slot of the first key only (the
     * others' new entries are seen on the next call, at most {@code block} later).
     */
    public Map<String, List<Entry>> read(Map<String, String> cursors, Duration block, int count) {
        if (cursors.isEmpty()) {
            return Map.of();
        }
        if (connection.isCluster()) {
            Map<Integer, Map<String, String>> bySlot = new LinkedHashMap<>();
            cursors.forEach((k, v) -> bySlot.computeIfAbsent(RedisEndpoint.slot(k), s -> new LinkedHashMap<>()).put(k, v));
            if (bySlot.size() > 1) {
                Map<String, List<Entry>> out = new LinkedHashMap<>();
                for (Map<String, String> slotCursors : bySlot.values()) {
                    out.putAll(readOneSlot(slotCursors, Duration.ZERO, count));
                }
                return out.isEmpty() && !block.isZero() ? readOneSlot(bySlot.values().iterator().next(), block, count) : out;
            }
        }
        return readOneSlot(cursors, block, count);
    }

    private Map<String, List<Entry>> readOneSlot(Map<String, String> cursors, Duration block, int count) {
        @SuppressWarnings("unchecked")
        XReadArgs.StreamOffset<String>[] offsets = cursors.entrySet().stream()
                .map(e -> XReadArgs.StreamOffset.from(e.getKey(), e.getValue())).toArray(XReadArgs.StreamOffset[]::new);
        XReadArgs args = XReadArgs.Builder.count(count);
        if (!block.isZero()) {
            args.block(block);
        }
        List<StreamMessage<String, String>> messages = connection.sync().xread(args, offsets);
        Map<String, List<Entry>> out = new LinkedHashMap<>();
        if (messages != null) {
            for (StreamMessage<String, String> m : messages) {
                out.computeIfAbsent(m.getStream(), k -> new ArrayList<>()).add(entry(m));
            }
        }
        return out;
    }

    private static Entry entry(StreamMessage<String, String> m) {
        Map<String, String> body = m.getBody();
        Instant at = null;
        String text = body.get(AT);
        if (text != null) {
            try {
                at = Instant.parse(text);
            } catch (DateTimeParseException e) {
                at = null; // not ours to refuse: shown without a time
            }
        }
        return new Entry(m.getId(), at, body.getOrDefault(STREAM, SYS), body.getOrDefault(TEXT, ""));
    }

    /** A batch Redis did not confirm. */
    public static final class WriteFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WriteFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The writing side, on a connection of its own: its commands are flushed by hand, so each
     * {@link #append} is one write to the socket however many lines it carries. Use it from one thread.
     */
    public static final class Writer {
        private final RedisLink connection;
        private final long maxLines;
        private final Duration retention;

        /** @param connection the writer's own; auto-flush is switched off on it */
        public Writer(StatefulRedisConnection<String, String> connection, long maxLines, Duration retention) {
            this(RedisLink.of(connection), maxLines, retention);
        }

        /** @param connection the writer's own, on any topology (one batch names one key); auto-flush is switched off on it */
        public Writer(RedisLink connection, long maxLines, Duration retention) {
            if (maxLines < 1) {
                throw new IllegalArgumentException("maxLines must be 1 or more, was " + maxLines);
            }
            if (retention.isNegative() || retention.isZero()) {
                throw new IllegalArgumentException("retention must be positive, was " + retention);
            }
            this.connection = connection;
            this.maxLines = maxLines;
            this.retention = retention;
            connection.setAutoFlushCommands(false);
        }

        public boolean isOpen() {
            return connection.isOpen();
        }

        /**
         * Appends {@code lines} to the attempt's stream, then (when {@code end}) the {@code end} entry, and
         * sets the key's expiry to the retention: one pipelined batch, waited for up to {@code timeout}. The
         * expiry is set on every batch, so the log of an attempt whose worker died without its end entry
         * still goes away; the end sets it one last time.
         *
         * @throws WriteFailed when Redis did not confirm the batch in time or refused a command (the
         *     batch's commands not yet sent are cancelled; some lines may have been written)
         */
        public void append(String key, List<Line> lines, boolean end, Instant endAt, Duration timeout) {
            RedisClusterAsyncCommands<String, String> async = connection.async();
            XAddArgs args = XAddArgs.Builder.maxlen(maxLines).approximateTrimming();
            List<RedisFuture<?>> futures = new ArrayList<>(lines.size() + 2);
            for (Line l : lines) {
                futures.add(async.xadd(key, args, AT, l.at().toString(), STREAM, l.stream(), TEXT, l.text()));
            }
            if (end) {
                futures.add(async.xadd(key, args, AT, endAt.toString(), STREAM, END, TEXT, ""));
            }
            futures.add(async.expire(key, Math.max(1, retention.toSeconds())));
            connection.flushCommands();
            boolean done;
            try {
                done = LettuceFutures.awaitAll(timeout.toMillis(), TimeUnit.MILLISECONDS, futures.toArray(new RedisFuture[0]));
            } catch (RuntimeException e) {
                futures.forEach(f -> f.cancel(false));
                throw new WriteFailed("shipping " + lines.size() + " log line(s) to " + key + " failed: " + e.getMessage(), e);
            }
            if (!done) {
                // Not sent yet (disconnected: Lettuce buffers them) must not go out later, after a retry of the same lines.
                futures.forEach(f -> f.cancel(false));
                throw new WriteFailed("shipping " + lines.size() + " log line(s) to " + key + ": Redis did not answer in "
                        + timeout.toMillis() + " ms", null);
            }
        }

        public void close() {
            connection.close();
        }
    }
}
