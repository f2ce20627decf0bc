package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The life of one registered worker, as one table. The worker reports its status in every
 * heartbeat; the controller applies a reported status only if the table allows the move, and
 * moves a worker to {@code offline} itself when its heartbeat lease lapses.
 *
 * <table>
 * <caption>Allowed moves (staying in the same state is not a move)</caption>
 * <tr><th>from</th><th>to</th><th>why</th></tr>
 * <tr><td>starting</td><td>idle, busy, paused, draining, drained, stopping, offline</td>
 *     <td>registered (and maybe claimed before its first beat); the reply may already say pause or drain</td></tr>
 * <tr><td>idle</td><td>busy, paused, draining, drained, stopping, offline</td><td>claimed an order, or was told to</td></tr>
 * <tr><td>busy</td><td>idle, paused, draining, drained, stopping, offline</td><td>last order finished, or was told to</td></tr>
 * <tr><td>paused</td><td>idle, busy, draining, drained, stopping, offline</td>
 *     <td>resume: idle if nothing runs, busy if orders claimed before the pause still run</td></tr>
 * <tr><td>draining</td><td>drained, stopping, offline</td><td>one-way: the worker is being retired; it finishes what it holds</td></tr>
 * <tr><td>drained</td><td>stopping, offline</td><td>holds nothing and claims nothing; waits to be stopped</td></tr>
 * <tr><td>stopping</td><td>offline</td><td>shutdown finished (or the lease lapsed)</td></tr>
 * <tr><td>offline</td><td>—</td><td>final for this worker id</td></tr>
 * </table>
 *
 * <p>Every live state may go straight to {@code offline}: that is the controller noticing a dead
 * worker, not something the worker reports. {@code offline} is final because a worker that comes
 * back must register again and gets a new worker id; the queue has already released its orders.
 * {@code draining} cannot be resumed: a worker told to drain finishes what it holds, claims nothing
 * more, then reports {@code drained} until it is stopped (or stops by itself when configured to).
 *
 * <p>The controller only sees the states that heartbeats happen to sample, so the table is closed
 * under composition: if a→b and b→c are allowed, so is a→c (a worker may go idle→busy→draining
 * between two beats).
 */
public enum WorkerStatus {
    STARTING, IDLE, BUSY, PAUSED, DRAINING, DRAINED, STOPPING, OFFLINE;

    private static final Map<WorkerStatus, Set<WorkerStatus>> ALLOWED = new EnumMap<>(Map.of(
            STARTING, EnumSet.of(IDLE, BUSY, PAUSED, DRAINING, DRAINED, STOPPING, OFFLINE),
            IDLE, EnumSet.of(BUSY, PAUSED, DRAINING, DRAINED, STOPPING, OFFLINE),
            BUSY, EnumSet.of(IDLE, PAUSED, DRAINING, DRAINED, STOPPING, OFFLINE),
            PAUSED, EnumSet.of(IDLE, BUSY, DRAINING, DRAINED, STOPPING, OFFLINE),
            DRAINING, EnumSet.of(DRAINED, STOPPING, OFFLINE),
            DRAINED, EnumSet.of(STOPPING, OFFLINE),
            STOPPING, EnumSet.of(OFFLINE),
            OFFLINE, EnumSet.noneOf(WorkerStatus.class)));

    public boolean canMoveTo(WorkerStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    public Set<WorkerStatus> next() {
        Set<WorkerStatus> next = ALLOWED.get(this);
        return next.isEmpty() ? Set.of() : Set.copyOf(next);
    }

    /** Nothing follows: the worker id is gone for good. */
    public boolean isFinal() {
        return this == OFFLINE;
    }

    /** May claim new work orders (capacity permitting). */
    public boolean acceptsWork() {
        return this == IDLE || this == BUSY;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static WorkerStatus fromWire(String value) {
        return Enums.parse(WorkerStatus.class, value, "status");
    }
}
