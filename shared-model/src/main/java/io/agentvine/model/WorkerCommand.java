package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What the controller tells a worker in a registration or heartbeat reply. {@code pause} stops
 * claiming (orders already running go on), {@code resume} undoes a pause, {@code drain} stops
 * claiming for good: the worker finishes what it holds, then stops. Commands are idempotent; the
 * controller repeats one in every reply until the worker's status shows it was followed.
 */
public enum WorkerCommand {
    NONE, PAUSE, RESUME, DRAIN;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static WorkerCommand fromWire(String value) {
        return Enums.parse(WorkerCommand.class, value, "command");
    }
}
