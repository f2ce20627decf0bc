package io.agentvine.controller.tasks;

import io.agentvine.controller.persistence.WorkerRepository;
import io.agentvine.model.TaskType;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/** The task types live workers serve, cached briefly: a new task's note is advice, not worth a query per request. */
@Singleton
public class LiveWorkerTypes {
    private final WorkerRepository workers;
    private final Clock clock;
    private volatile Set<String> liveTypes = Set.of();
    private volatile Instant liveTypesAt = Instant.EPOCH;

    public LiveWorkerTypes(WorkerRepository workers, Clock clock) {
        this.workers = workers;
        this.clock = clock;
    }

    /** Whether a registered, not stale worker serves {@code type} (as of two seconds ago at most). */
    public boolean serves(TaskType type) {
        Instant now = clock.instant();
        if (now.isAfter(liveTypesAt.plusSeconds(2)) || now.isBefore(liveTypesAt)) {
            Set<String> types = new HashSet<>();
            workers.liveWorkerTypes().forEach(t -> types.addAll(Arrays.asList(t.split(","))));
            liveTypes = types;
            liveTypesAt = now;
        }
        return liveTypes.contains(type.name());
    }
}
