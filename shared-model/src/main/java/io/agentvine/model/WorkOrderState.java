package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The life of a work order, as one table. The queue's Lua scripts implement exactly these moves;
 * {@code WorkOrderStateTest} keeps the table and the scripts honest.
 *
 * <pre>
 * queued  ──claim──▶ running ──ack──▶ completed
 *   ▲  ▲                │ ├──fail (retryable, attempts left)──▶ delayed ──due──▶ queued
 *   │  └─release/lease expired/worker dead─┘ ├──fail (final) / stalled too often──▶ dead
 *   │                                        ├──cancel seen by holder──▶ cancelled
 *   │                                        └──needs approval──▶ awaiting_approval ──▶ running
 *   └──────────── retry (operator) ◀── dead, failed, cancelled
 * queued, delayed ──cancel──▶ cancelled
 * waiting ──every parent completed──▶ queued;  waiting ──a parent failed / cancel──▶ cancelled
 * running, awaiting_approval ──no answer for park_after──▶ parked ──decided──▶ queued (head);  parked ──cancel──▶ cancelled
 * </pre>
 *
 * <p>{@link #WAITING} is the controller's alone: a task whose {@code depends_on} parents have not all
 * completed waits in the database, outside the queue; the queue never holds a waiting order. An
 * operator's retry of a task whose parents are not all completed makes it wait again.
 *
 * <p>{@link #PARKED}: a run whose human has not decided yet (a question, an approval) saved its work and
 * left its worker; the order waits in the queue's parked set, outside the lease set (no sweeper recovers
 * it), until the decision sends it back to the head of its level.
 */
public enum WorkOrderState {
    QUEUED, DELAYED, RUNNING, AWAITING_APPROVAL, COMPLETED, FAILED, DEAD, CANCELLED, WAITING, PARKED;

    private static final Map<WorkOrderState, Set<WorkOrderState>> ALLOWED = Map.of(
            QUEUED, EnumSet.of(RUNNING, CANCELLED),
            DELAYED, EnumSet.of(QUEUED, CANCELLED),
            RUNNING, EnumSet.of(COMPLETED, FAILED, DELAYED, QUEUED, DEAD, CANCELLED, AWAITING_APPROVAL, PARKED),
            AWAITING_APPROVAL, EnumSet.of(RUNNING, COMPLETED, FAILED, QUEUED, DEAD, CANCELLED, PARKED),
            COMPLETED, EnumSet.noneOf(WorkOrderState.class),
            FAILED, EnumSet.of(QUEUED, WAITING),
            DEAD, EnumSet.of(QUEUED, WAITING),
            CANCELLED, EnumSet.of(QUEUED, WAITING),
            WAITING, EnumSet.of(QUEUED, CANCELLED),
            PARKED, EnumSet.of(QUEUED, CANCELLED));

    public boolean canMoveTo(WorkOrderState next) {
        return ALLOWED.get(this).contains(next);
    }

    public Set<WorkOrderState> next() {
        Set<WorkOrderState> next = ALLOWED.get(this);
        return next.isEmpty() ? Set.of() : Set.copyOf(next);
    }

    /** No worker holds it and nothing will happen to it without an operator. */
    public boolean isFinal() {
        return this == COMPLETED || this == FAILED || this == DEAD || this == CANCELLED;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static WorkOrderState fromWire(String value) {
        return Enums.parse(WorkOrderState.class, value, "state");
    }
}
