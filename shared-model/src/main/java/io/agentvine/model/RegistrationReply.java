package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * The controller's answer to a {@link WorkerRegistration}: the id the worker uses from now on and
 * how it must beat (see {@link HeartbeatTiming} for defaults and limits).
 *
 * @param workerId                  assigned by the controller; a worker that registers again gets a new one
 * @param heartbeatIntervalSeconds  seconds between heartbeats (default 10)
 * @param leaseSeconds              seconds without a heartbeat after which the worker is offline
 *                                  (default three intervals; must be longer than one)
 * @param command                   what to do first, e.g. start paused (default none)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RegistrationReply(
        Integer schemaVersion,
        String workerId,
        Integer heartbeatIntervalSeconds,
        Integer leaseSeconds,
        WorkerCommand command,
        Map<String, Object> metadata) {

    public RegistrationReply {
        schemaVersion = Check.schemaVersion(schemaVersion);
        Check.id(workerId, "worker_id");
        heartbeatIntervalSeconds = HeartbeatTiming.interval(heartbeatIntervalSeconds);
        leaseSeconds = HeartbeatTiming.lease(leaseSeconds, heartbeatIntervalSeconds);
        command = command == null ? WorkerCommand.NONE : command;
        metadata = Check.metadata(metadata, "metadata");
    }
}
