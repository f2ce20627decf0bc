package io.agentvine.worker.livelog;

import io.agentvine.queue.AttemptLogStream;
import io.agentvine.worker.process.LogSink;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One attempt's live log on its way to Redis: a bounded buffer the log's writers (the agent's reader
 * threads among them) add to without ever waiting, drained by the {@link LogShipper}'s thread. When it
 * is full — Redis slow or unreachable — new lines are dropped and counted; once there is room again a
 * {@code sys} line saying how many were dropped takes their place, so the stream shows the gap where it
 * is. The log file has every line.
 */
public final class Shipment implements LogSink {
    private final String key;
    private final int capacity;
    private final int batchLines;
    private final Runnable wake;
    private final ArrayDeque<AttemptLogStream.Line> pending = new ArrayDeque<>();
    private long dropped; // lines dropped since the last marker
    private long droppedTotal;
    private Instant endedAt; // set by end()

    Shipment(String key, int capacity, int batchLines, Runnable wake) {
        this.key = key;
        this.capacity = capacity;
        this.batchLines = batchLines;
        this.wake = wake;
    }

    /** A batch taken for shipping: its lines, and whether it closes the attempt (the {@code end} entry goes with it). */
    record Batch(List<AttemptLogStream.Line> lines, boolean end, Instant endedAt) {
    }

    public String key() {
        return key;
    }

    @Override
    public void accept(Instant at, String tag, String text) {
        boolean full;
        synchronized (this) {
            if (endedAt != null) {
                return; // output still draining after the attempt ended is in the log file only
            }
            if (pending.size() >= capacity) {
                dropped++;
                droppedTotal++;
                return;
            }
            markGap(at);
            pending.addLast(new AttemptLogStream.Line(at, tag, text));
            full = pending.size() == batchLines;
        }
        if (full) {
            wake.run();
        }
    }

    /** The attempt ended at {@code at}: what is buffered is shipped, then the {@code end} entry. Idempotent. */
    public void end(Instant at) {
        synchronized (this) {
            if (endedAt != null) {
                return;
            }
            markGap(at);
            endedAt = at;
        }
        wake.run();
    }

    /** The marker of the dropped lines goes where they were (there is always room for it: capacity + 1). */
    private void markGap(Instant at) {
        if (dropped > 0) {
            pending.addLast(new AttemptLogStream.Line(at, AttemptLogStream.SYS, dropped
                    + " line(s) not shipped: Redis was too slow or unreachable (the worker's log file has them)"));
            dropped = 0;
        }
    }

    /** Up to {@code max} lines, oldest first; with the end once nothing is left behind them. Null when there is nothing to ship. */
    synchronized Batch take(int max) {
        List<AttemptLogStream.Line> lines = new ArrayList<>(Math.min(max, pending.size()));
        while (lines.size() < max && !pending.isEmpty()) {
            lines.add(pending.removeFirst());
        }
        boolean end = endedAt != null && pending.isEmpty();
        return lines.isEmpty() && !end ? null : new Batch(lines, end, endedAt);
    }

    /** A batch Redis did not take goes back to the front; what no longer fits is dropped (and counted) from the back. */
    synchronized void putBack(Batch batch) {
        List<AttemptLogStream.Line> lines = batch.lines();
        for (int i = lines.size() - 1; i >= 0; i--) {
            pending.addFirst(lines.get(i));
        }
        while (pending.size() > capacity + 1) {
            pending.removeLast();
            dropped++;
            droppedTotal++;
        }
    }

    synchronized int pendingCount() {
        return pending.size();
    }

    synchronized boolean readyToShip() {
        return pending.size() >= batchLines || endedAt != null;
    }

    /** Lines dropped so far (for tests and the end's log line). */
    public synchronized long droppedTotal() {
        return droppedTotal;
    }
}
