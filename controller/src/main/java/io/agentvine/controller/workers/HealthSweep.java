package io.agentvine.controller.workers;

import io.agentvine.controller.config.ControllerSettings;
import io.agentvine.controller.history.EventLog;
import io.agentvine.controller.persistence.WorkerRepository;
import io.agentvine.controller.persistence.WorkerRow;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Moves registered workers between health levels from their last heartbeat, with an event, a log line and a metric each. */
@Singleton
public class HealthSweep {
    private static final Logger log = LoggerFactory.getLogger(HealthSweep.class);

    /** What one pass found: the changes ({@code id:from->to}) and the workers now stale. */
    public record Result(List<String> changes, List<WorkerRow> stale) {
    }

    private final WorkerRepository workers;
    private final EventLog events;
    private final MeterRegistry meters;
    private final ControllerSettings settings;
    private final Clock clock;

    public HealthSweep(WorkerRepository workers, EventLog events, MeterRegistry meters, ControllerSettings settings, Clock clock) {
        this.workers = workers;
        this.events = events;
        this.meters = meters;
        this.settings = settings;
        this.clock = clock;
    }

    public Result runOnce() {
        List<String> changes = new ArrayList<>();
        List<WorkerRow> stale = new ArrayList<>();
        Instant now = clock.instant();
        for (WorkerRow w : workers.findByDeregisteredAtIsNullOrderByRegisteredAt()) {
            Health health = Health.of(w.lastHeartbeatAt(), null, now, settings.getHeartbeatInterval(), settings.getStaleAfter());
            if (!health.wireName().equals(w.health())) {
                workers.update(w.withHealth(health.wireName()));
                changes.add(w.id() + ":" + w.health() + "->" + health.wireName());
                events.append("worker_health_changed", null, w.id(), Map.of("worker_id", w.id(), "from", w.health(),
                        "to", health.wireName()));
                meters.counter("agentvine.worker.health.changes", "to", health.wireName()).increment();
                log.warn("worker {} ({}) is {} (last heartbeat {})", w.id(), w.name(), health.wireName(), w.lastHeartbeatAt());
            }
            if (health == Health.STALE) {
                stale.add(w);
            }
        }
        return new Result(changes, stale);
    }
}
