package io.agentvine.controller.workers;

import io.agentvine.controller.domain.NotFoundException;
import io.agentvine.controller.domain.ForbiddenException;
import io.agentvine.controller.domain.GoneException;
import io.agentvine.controller.persistence.HeartbeatWriter;
import io.agentvine.controller.persistence.WorkerAccess;
import io.agentvine.loop.Backoff;
import io.agentvine.loop.Loop;
import io.agentvine.model.WorkerCommand;
import io.agentvine.model.WorkerStatus;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeats without a database round trip per beat. A beat is checked against what this replica
 * knows of its worker (owner, offline or not, pending command — re-read from the database when older
 * than {@link #ACCESS_TTL}), answered at once, and its write joins the next batch: the latest beat per
 * worker is flushed every {@link #FLUSH_EVERY} by the {@link Loop} {@code heartbeat-flusher}, in one JDBC
 * batch (a failed flush keeps its beats and is retried after a backoff). Readers that need fresh rows (worker views, the fleet sweep) call {@link #flush()} first.
 *
 * <p>The steps of the worker's runs ride along: a step this replica has already written for that task
 * (same since-time) is not sent again, so a beat whose runs did not move costs no extra statement; a new
 * one is written by the flush with its {@code task_step} event ({@link HeartbeatWriter}).
 *
 * <p>A pending command is cleared with a compare-and-set ({@code command = seen}), so an operator's
 * newer command is never overwritten by a beat that answered the older one.
 */
@Singleton
public class HeartbeatBuffer {
    static final Duration ACCESS_TTL = Duration.ofSeconds(1);
    static final Duration FLUSH_EVERY = Duration.ofMillis(100);
    private static final Logger log = LoggerFactory.getLogger(HeartbeatBuffer.class);

    private record Known(WorkerAccess access, long loadedAtNanos) {
    }

    private final HeartbeatWriter writer;
    private final Clock clock;
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    private final Map<String, HeartbeatWriter.Beat> pending = new ConcurrentHashMap<>();
    /** Per worker: the step since-time written per task it runs (what a beat need not write again). */
    private final Map<String, Map<String, Instant>> stepsWritten = new ConcurrentHashMap<>();
    private final Object flushLock = new Object();
    private final Loop flusher;
    private volatile boolean closed;

    public HeartbeatBuffer(HeartbeatWriter writer, Clock clock) {
        this.writer = writer;
        this.clock = clock;
        this.flusher = new Loop("heartbeat-flusher", new Backoff(FLUSH_EVERY, Duration.ofSeconds(5)), () -> {
            flush();
            return FLUSH_EVERY;
        }).start(FLUSH_EVERY);
    }

    /**
     * Accepts a beat of worker {@code id} from a caller that owns it (admins own all) and returns the
     * command the worker must hear.
     */
    public WorkerCommand beat(String id, boolean admin, String keyName, WorkerStatus status, String currentTasks,
                              String metrics, String metadata, List<HeartbeatWriter.Step> steps) {
        WorkerAccess access = access(id);
        if (!admin && !access.ownerKey().equals(keyName)) {
            throw new ForbiddenException("authorization", "key '" + keyName + "' does not own worker " + id);
        }
        if (access.deregisteredAt() != null) {
            throw new GoneException("worker " + id + " was deregistered or declared offline; register again");
        }
        WorkerStatus applied = applied(id, WorkerStatus.fromWire(access.status()), status);
        WorkerCommand seen = WorkerCommand.fromWire(access.command());
        WorkerCommand reply = fulfilled(seen, applied) ? WorkerCommand.NONE : seen;
        pending.put(id, new HeartbeatWriter.Beat(id, applied.wireName(), currentTasks, metrics, metadata, clock.instant(),
                seen.wireName(), reply.wireName(), unwritten(id, steps)));
        known.computeIfPresent(id, (k, v) -> new Known(v.access().withStatus(applied.wireName()).withCommand(reply.wireName()),
                v.loadedAtNanos()));
        return reply;
    }

    /**
     * The status a beat leaves the worker in: the reported one when {@link WorkerStatus}'s table allows
     * the move from the last applied one, else the last applied one (the beat still counts as alive).
     */
    static WorkerStatus applied(String id, WorkerStatus current, WorkerStatus reported) {
        if (reported == current || current.canMoveTo(reported)) {
            return reported;
        }
        log.warn("worker {} reported '{}' after '{}', a move the worker states table does not allow: it stays '{}'", id,
                reported.wireName(), current.wireName(), current.wireName());
        return current;
    }

    /** The steps not yet written; forgets what was written for runs the worker no longer reports. */
    private List<HeartbeatWriter.Step> unwritten(String id, List<HeartbeatWriter.Step> steps) {
        Map<String, Instant> written = stepsWritten.getOrDefault(id, Map.of());
        Map<String, Instant> kept = new HashMap<>();
        List<HeartbeatWriter.Step> fresh = new ArrayList<>();
        for (HeartbeatWriter.Step s : steps) {
            Instant done = written.get(s.taskId());
            if (done != null) {
                kept.put(s.taskId(), done);
            }
            if (!s.since().equals(done)) {
                fresh.add(s);
            }
        }
        if (kept.isEmpty()) {
            stepsWritten.remove(id);
        } else if (kept.size() < written.size()) {
            stepsWritten.put(id, kept);
        }
        return fresh;
    }

    /** A command is done once the worker reports the status it asked for. */
    static boolean fulfilled(WorkerCommand command, WorkerStatus status) {
        return switch (command) {
            case NONE -> true;
            case PAUSE -> status == WorkerStatus.PAUSED;
            case RESUME -> status == WorkerStatus.IDLE || status == WorkerStatus.BUSY;
            case DRAIN -> status == WorkerStatus.DRAINING || status == WorkerStatus.DRAINED || status == WorkerStatus.STOPPING;
        };
    }

    private WorkerAccess access(String id) {
        long now = System.nanoTime();
        Known k = known.get(id);
        if (k == null || now - k.loadedAtNanos() > ACCESS_TTL.toNanos()) {
            WorkerAccess a = writer.access(id).orElseThrow(() -> new NotFoundException("worker", id));
            k = new Known(a, now);
            known.put(id, k);
        }
        return k.access();
    }

    /** Forget what this replica knows of a worker (after a command or a deregistration here). */
    public void invalidate(String id) {
        known.remove(id);
    }

    /** Writes every pending beat now; returns how many. */
    public int flush() {
        synchronized (flushLock) {
            List<HeartbeatWriter.Beat> batch = new ArrayList<>();
            for (String id : List.copyOf(pending.keySet())) {
                HeartbeatWriter.Beat b = pending.remove(id);
                if (b != null) {
                    batch.add(b);
                }
            }
            try {
                writer.write(batch);
                for (HeartbeatWriter.Beat b : batch) {
                    if (!b.steps().isEmpty()) {
                        stepsWritten.compute(b.id(), (k, v) -> {
                            Map<String, Instant> m = v == null ? new HashMap<>() : new HashMap<>(v);
                            b.steps().forEach(s -> m.put(s.taskId(), s.since()));
                            return m;
                        });
                    }
                }
            } catch (RuntimeException e) {
                // Put them back unless a newer beat arrived meanwhile: nothing is lost to a database hiccup.
                batch.forEach(b -> pending.putIfAbsent(b.id(), b));
                throw e;
            }
            return batch.size();
        }
    }

    /** Stops the flusher and writes what is left; idempotent. Runs before the pool closes (it depends on it). */
    @PreDestroy
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        flusher.close();
        try {
            flush();
        } catch (RuntimeException e) {
            log.error("last heartbeat flush at shutdown failed", e);
        }
    }
}
