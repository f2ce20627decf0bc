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
 * is. The buffer is bounded in characters too, and a line longer than {@link #MAX_LINE_CHARS} is
 * shipped cut, saying how much is missing. The log file has every line, whole.
 */
public final class Shipment implements LogSink {
    /** A longer line is shipped cut to this many characters (the log file has it whole). */
    static final int MAX_LINE_CHARS = 16_384;
    /** Characters an attempt buffers at most while Redis is slow, whatever the line count. */
    static final long MAX_PENDING_CHARS = 4L << 20;
    private final String key;
    private final int capacity;
    private final int batchLines;
    private final Runnable wake;
    private final ArrayDeque<Item> pending = new ArrayDeque<>();
    private long pendingChars;
    private long dropped; // lines dropped since the last marker
    private long droppedTotal;
    private Instant endedAt; // set by end()

    Shipment(String key, int capacity, int batchLines, Runnable wake) {
        this.key = key;
        this.capacity = capacity;
        this.batchLines = batchLines;
        this.wake = wake;
    }

    /** A line waiting to be shipped; a gap's marker carries how many lines it stands for ({@code marks}, else 0). */
    private record Item(AttemptLogStream.Line line, long marks) {
    }

    /** A batch taken for shipping: its lines, and whether it closes the attempt (the {@code end} entry goes with it). */
    record Batch(List<Item> items, boolean end, Instant endedAt) {
        List<AttemptLogStream.Line> lines() {
            return items.stream().map(Item::line).toList();
        }
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
            String shipped = text.length() <= MAX_LINE_CHARS ? text : text.substring(0, MAX_LINE_CHARS)
                    + "… (" + (text.length() - MAX_LINE_CHARS) + " more characters in the worker's log file)";
            if (pending.size() >= capacity || pendingChars + shipped.length() > MAX_PENDING_CHARS) {
                dropped++;
                droppedTotal++;
                return;
            }
            markGap(at);
            add(new Item(new AttemptLogStream.Line(at, tag, shipped), 0));
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
            add(new Item(new AttemptLogStream.Line(at, AttemptLogStream.SYS, dropped
                    + " line(s) not shipped: Redis was too slow or unreachable (the worker's log file has them)"), dropped));
            dropped = 0;
        }
    }

    private void add(Item item) {
        pending.addLast(item);
        pendingChars += item.line().text().length();
    }

    /** Up to {@code max} lines, oldest first; with the end once nothing is left behind them. Null when there is nothing to ship. */
    synchronized Batch take(int max) {
        List<Item> items = new ArrayList<>(Math.min(max, pending.size()));
        while (items.size() < max && !pending.isEmpty()) {
            Item i = pending.removeFirst();
            pendingChars -= i.line().text().length();
            items.add(i);
        }
        boolean end = endedAt != null && pending.isEmpty();
        return items.isEmpty() && !end ? null : new Batch(items, end, endedAt);
    }

    /**
     * A batch Redis did not take goes back to the front; what no longer fits is dropped (and counted) from the back.
     * A gap's marker dropped that way hands its count on to the next marker (its lines were counted when dropped);
     * after the end, that marker is added at once.
     */
    synchronized void putBack(Batch batch) {
        List<Item> items = batch.items();
        for (int i = items.size() - 1; i >= 0; i--) {
            pending.addFirst(items.get(i));
            pendingChars += items.get(i).line().text().length();
        }
        while (pending.size() > capacity + 1) {
            Item last = pending.removeLast();
            pendingChars -= last.line().text().length();
            if (last.marks() > 0) {
                dropped += last.marks();
            } else {
                dropped++;
                droppedTotal++;
            }
        }
        if (endedAt != null) {
            markGap(endedAt); // no line will come to carry the marker: it goes before the end (one over the capacity)
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
