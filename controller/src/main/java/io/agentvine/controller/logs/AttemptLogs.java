package io.agentvine.controller.logs;

import io.agentvine.controller.config.ControllerSettings;
import io.agentvine.controller.domain.GoneException;
import io.agentvine.controller.domain.InvalidInputException;
import io.agentvine.controller.domain.NotFoundException;
import io.agentvine.controller.domain.QueueUnavailableException;
import io.agentvine.controller.persistence.AttemptRepository;
import io.agentvine.controller.persistence.AttemptRow;
import io.agentvine.controller.persistence.TaskRepository;
import io.agentvine.controller.persistence.TaskRow;
import io.agentvine.model.Check;
import io.agentvine.queue.AttemptLogStream;
import io.agentvine.queue.redis.RedisEndpoint;
import io.lettuce.core.RedisException;
import io.agentvine.queue.redis.RedisLink;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The live logs the workers ship to Redis ({@link AttemptLogStream}), for the API: a page of an
 * attempt's lines, and what a follower of the SSE variant needs (the attempt, its key, where to start,
 * whether it is over). The attempt defaults to the task's latest; a log Redis no longer has is gone
 * (410) once the attempt ended — it expired after {@code agentvine.log-retention}, or was never shipped.
 */
@Singleton
public class AttemptLogs {
    public static final int DEFAULT_LIMIT = 500;
    public static final int MAX_LIMIT = 1000;
    /**
     * An attempt the database says ended this long ago is over even without its end entry (its worker
     * died): the end entry, shipped before the worker reports, has had time to arrive.
     */
    static final Duration END_GRACE = Duration.ofSeconds(10);

    /** The attempt a request is about, resolved and checked. */
    public record Attempt(String taskId, int attempt, String key) {
    }

    private final TaskRepository tasks;
    private final AttemptRepository attempts;
    private final RedisEndpoint client;
    private final ControllerSettings settings;
    private final Clock clock;
    private RedisLink connection; // guarded by this

    public AttemptLogs(TaskRepository tasks, AttemptRepository attempts, RedisEndpoint client, ControllerSettings settings, Clock clock) {
        this.tasks = tasks;
        this.attempts = attempts;
        this.client = client;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * The attempt {@code attempt} (null: the latest) of task {@code taskId}.
     *
     * @throws NotFoundException when there is no such task
     * @throws InvalidInputException (field {@code attempt}) when the task has no such attempt
     */
    public Attempt attempt(String taskId, Integer attempt) {
        Check.id(taskId, "id");
        TaskRow task = tasks.findById(taskId).orElseThrow(() -> new NotFoundException("task", taskId));
        int latest = Math.max(1, task.attempts());
        int n = attempt == null ? latest : attempt;
        if (n < 1 || n > latest) {
            throw new InvalidInputException("attempt", "task " + taskId + " has " + (task.attempts() == 0 ? "not started yet"
                    : task.attempts() + " attempt(s)") + ": attempt must be between 1 and " + latest + ", was " + n);
        }
        return new Attempt(taskId, n, AttemptLogStream.key(settings.getQueueNamespace(), taskId, n));
    }

    /**
     * Up to {@code limit} lines of the attempt after entry {@code after} (null: from the first).
     *
     * @throws InvalidInputException naming {@code after} or {@code limit} when they are not usable
     * @throws GoneException when the attempt ended and Redis no longer has its log
     */
    public LogPage page(String taskId, Integer attempt, String after, Integer limit) {
        try {
            return readPage(taskId, attempt, after, limit);
        } catch (RedisException e) {
            throw unavailable(e);
        }
    }

    private LogPage readPage(String taskId, Integer attempt, String after, Integer limit) {
        int max = limit == null ? DEFAULT_LIMIT : limit;
        if (max < 1 || max > MAX_LIMIT) {
            throw new InvalidInputException("limit", "must be between 1 and " + MAX_LIMIT + ", was " + max);
        }
        String cursor = cursor(after, "after");
        Attempt a = attempt(taskId, attempt);
        AttemptLogStream stream = stream();
        List<AttemptLogStream.Entry> entries = stream.range(a.key(), cursor, max + 1);
        if (entries.isEmpty() && !stream.exists(a.key())) {
            requireKept(a);
            return new LogPage(a.taskId(), a.attempt(), List.of(), cursor, endedAt(a).isPresent()); // ended: before it started
        }
        List<LogLine> lines = new ArrayList<>();
        String next = cursor;
        boolean finished = false;
        for (AttemptLogStream.Entry e : entries) {
            if (e.isEnd()) {
                finished = true;
                break;
            }
            if (lines.size() == max) {
                break;
            }
            lines.add(LogLine.of(e));
            next = e.id();
        }
        if (!finished && lines.size() < max) {
            finished = endedWithoutEntry(a) || stream.last(a.key()).map(AttemptLogStream.Entry::isEnd).orElse(false);
        }
        return new LogPage(a.taskId(), a.attempt(), lines, next, finished);
    }

    /**
     * Where a follower starts: after {@code lastEventId} (the SSE {@code Last-Event-ID}), else at the
     * first line; checks that the log is there to follow.
     *
     * @throws InvalidInputException naming {@code Last-Event-ID} when it is not an entry id
     * @throws GoneException when the attempt ended and Redis no longer has its log
     */
    public String start(Attempt a, String lastEventId) {
        String cursor = cursor(lastEventId, "Last-Event-ID");
        try {
            if (!stream().exists(a.key())) {
                requireKept(a);
            }
        } catch (RedisException e) {
            throw unavailable(e);
        }
        return cursor == null ? StreamIds.ZERO : cursor;
    }

    /**
     * The id of the attempt's end entry when the follower's {@code cursor} is already at or past it (a
     * client reconnecting after the end): the stream then ends at once.
     */
    public Optional<String> endReached(Attempt a, String cursor) {
        try {
            return stream().last(a.key()).filter(AttemptLogStream.Entry::isEnd).map(AttemptLogStream.Entry::id)
                    .filter(end -> StreamIds.compare(end, cursor) <= 0);
        } catch (RedisException e) {
            throw unavailable(e);
        }
    }

    /** The attempt ended longer than {@link #END_GRACE} ago by the database (see {@link #endedAt}). */
    public boolean endedWithoutEntry(Attempt a) {
        return endedAt(a).map(t -> t.plus(END_GRACE).isBefore(clock.instant())).orElse(false);
    }

    /**
     * When the attempt ended by the database: its row's end; {@link Instant#EPOCH} when a later attempt
     * started or the task ended without this attempt's row (cancelled before it started); empty while
     * it runs or waits to start.
     */
    private Optional<Instant> endedAt(Attempt a) {
        TaskRow task = tasks.findById(a.taskId()).orElse(null);
        if (task == null || task.attempts() > a.attempt()) {
            return Optional.of(Instant.EPOCH);
        }
        for (AttemptRow row : attempts.findByTaskIdOrderByAttemptAndId(a.taskId())) {
            if (row.attempt() == a.attempt()) {
                return Optional.ofNullable(row.endedAt());
            }
        }
        return task.state().isFinal() ? Optional.of(Instant.EPOCH) : Optional.empty();
    }

    /** A log that is not in Redis: nothing yet (the attempt runs or waits), or gone (it ended; never started: nothing to show). */
    private void requireKept(Attempt a) {
        if (endedAt(a).isPresent() && startedEver(a)) {
            throw new GoneException("attempt", "the log of attempt " + a.attempt() + " of task " + a.taskId()
                    + " is no longer kept: an attempt's log is readable for " + shown(settings.getLogRetention())
                    + " after it ends (agentvine.log-retention, the workers' AGENTVINE_LOG_RETENTION), or it was never shipped");
        }
    }

    private boolean startedEver(Attempt a) {
        return tasks.findById(a.taskId()).map(t -> t.attempts() >= a.attempt()).orElse(false);
    }

    private static String shown(Duration d) {
        long s = d.toSeconds();
        return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    private static QueueUnavailableException unavailable(RedisException e) {
        return new QueueUnavailableException("the live logs are in Redis, which cannot be reached now: try again", e);
    }

    private static String cursor(String id, String field) {
        if (id == null || id.isBlank()) {
            return null;
        }
        String trimmed = id.trim();
        if (!AttemptLogStream.isEntryId(trimmed)) {
            throw new InvalidInputException(field, "must be a log entry id such as 1733130000000-0 (a line's id, or the 'next' of"
                    + " the page before), was '" + (trimmed.length() > 40 ? trimmed.substring(0, 40) + "…" : trimmed) + "'");
        }
        return trimmed;
    }

    private synchronized AttemptLogStream stream() {
        if (connection == null) {
            connection = client.connect();
        }
        return new AttemptLogStream(connection);
    }

    @PreDestroy
    public synchronized void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
