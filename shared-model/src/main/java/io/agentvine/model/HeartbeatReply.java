package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * The controller's answer to a {@link Heartbeat}: a command, and the timing the worker must use
 * from now on (see {@link HeartbeatTiming}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HeartbeatReply(
        Integer schemaVersion,
        WorkerCommand command,
        Integer heartbeatIntervalSeconds,
        Integer leaseSeconds,
        Map<String, Object> metadata) {

    public HeartbeatReply {
        schemaVersion = Check.schemaVersion(schemaVersion);
        command = command == null ? WorkerCommand.NONE : command;
        heartbeatIntervalSeconds = HeartbeatTiming.interval(heartbeatIntervalSeconds);
        leaseSeconds = HeartbeatTiming.lease(leaseSeconds, heartbeatIntervalSeconds);
        metadata = Check.metadata(metadata, "metadata");
    }
}
