package io.agentvine.controller.workers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.agentvine.controller.domain.NotFoundException;
import io.agentvine.controller.domain.ConflictException;
import io.agentvine.controller.domain.InvalidInputException;
import io.agentvine.controller.domain.ForbiddenException;
import io.agentvine.controller.config.ControllerSettings;
import io.agentvine.controller.history.EventLog;
import io.agentvine.controller.persistence.HeartbeatWriter;
import io.agentvine.controller.persistence.TaskRepository;
import io.agentvine.controller.persistence.TaskSummary;
import io.agentvine.controller.persistence.WorkerRepository;
import io.agentvine.controller.persistence.WorkerRow;
import io.agentvine.controller.security.Caller;
import io.agentvine.model.Check;
import io.agentvine.model.CurrentTask;
import io.agentvine.model.Heartbeat;
import io.agentvine.model.HeartbeatReply;
import io.agentvine.model.Json;
import io.agentvine.model.RegistrationReply;
import io.agentvine.model.TaskType;
import io.agentvine.model.TaskTypes;
import io.agentvine.model.WorkerCommand;
import io.agentvine.model.WorkerMetrics;
import io.agentvine.model.WorkerRegistration;
import io.agentvine.model.WorkerStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** Registration, heartbeats, operator commands and the read model of workers. */
@Singleton
public class WorkerRegistry {
    private static final TypeReference<List<CurrentTask>> TASKS = new TypeReference<>() { };
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final WorkerRepository workers;
    private final EventLog events;
    private final TaskTypes taskTypes;
    private final ControllerSettings settings;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Counter heartbeats;
    private final HeartbeatBuffer buffer;
    private final TaskRepository tasks;

    public WorkerRegistry(WorkerRepository workers, EventLog events, TaskTypes taskTypes, ControllerSettings settings,
                          Clock clock, MeterRegistry meters,
                          HeartbeatBuffer buffer, TaskRepository tasks) {
        this.buffer = buffer;
        this.tasks = tasks;
        this.meters = meters;
        this.heartbeats = meters.counter("agentvine.heartbeats");
        this.workers = workers;
        this.events = events;
        this.taskTypes = taskTypes;
        this.settings = settings;
        this.clock = clock;
    }

    public RegistrationReply register(Caller caller, WorkerRegistration reg) {
        for (int i = 0; i < reg.workerTypes().size(); i++) {
            TaskType type = reg.workerTypes().get(i);
            taskTypes.require(type.name());
            if (!caller.mayServe(type)) {
                throw new ForbiddenException("worker_types", "key '" + caller.keyName() + "' may not register workers of type '" + type + "'");
            }
        }
        Instant now = clock.instant();
        String id = "w-" + UUID.randomUUID();
        String types = reg.workerTypes().stream().map(TaskType::name).collect(Collectors.joining(","));
        workers.save(new WorkerRow(id, reg.name(), types, reg.version(), reg.maxConcurrentTasks(),
                Json.write(reg.specializations()), Json.write(reg.tools()), Json.write(reg.metadata()),
                WorkerStatus.STARTING.wireName(), Health.HEALTHY.wireName(), WorkerCommand.NONE.wireName(), "[]", null,
                0, 0, now, now, null, caller.keyName()));
        events.append("worker_registered", null, id, Map.of("worker_id", id, "name", reg.name(),
                "worker_types", reg.workerTypes().stream().map(TaskType::name).toList(), "version", reg.version()));
        return new RegistrationReply(null, id, seconds(settings.getHeartbeatInterval()), seconds(settings.getLease()),
                WorkerCommand.NONE, Map.of());
    }

    public HeartbeatReply heartbeat(Caller caller, String id, Heartbeat hb) {
        Check.id(id, "id");
        if (!hb.workerId().equals(id)) {
            throw new InvalidInputException("worker_id", "is " + hb.workerId() + " but the URL names worker " + id);
        }
        // The hot path of a large fleet: no database round trip per beat (see HeartbeatBuffer).
        WorkerCommand command = buffer.beat(id, caller.isAdmin(), caller.keyName(), hb.status(),
                Json.write(hb.currentTasks()), hb.metrics() == null ? null : Json.write(hb.metrics()),
                Json.write(hb.metadata()), hb.currentTasks().stream().filter(t -> t.step() != null)
                        .map(t -> new HeartbeatWriter.Step(t.taskId(), t.attempt(), t.step().wireName(), t.stepSince())).toList());
        heartbeats.increment();
        return new HeartbeatReply(null, command, seconds(settings.getHeartbeatInterval()),
                seconds(settings.getLease()), Map.of());
    }

    public void command(String id, WorkerCommand command) {
        Check.id(id, "id");
        buffer.flush(); // the status checked below is the latest beat's
        WorkerRow row = workers.findById(id).orElseThrow(() -> new NotFoundException("worker", id));
        if (row.deregisteredAt() != null) {
            throw new ConflictException("worker " + id + " is offline");
        }
        WorkerStatus status = WorkerStatus.fromWire(row.status());
        if (command != WorkerCommand.DRAIN && (status == WorkerStatus.DRAINING || status == WorkerStatus.DRAINED)) {
            // The worker could never comply: a drain is one-way (see WorkerStatus).
            throw new ConflictException("worker " + id + " is " + status.wireName() + ": a drain cannot be paused or resumed");
        }
        workers.updateCommand(id, command.wireName());
        buffer.invalidate(id);
    }

    public void deregister(Caller caller, String id) {
        buffer.flush();
        WorkerRow row = owned(caller, id);
        if (row.deregisteredAt() == null) {
            workers.update(row.deregistered(clock.instant()));
            buffer.invalidate(id);
            events.append("worker_health_changed", null, id, Map.of("worker_id", id, "from", row.health(), "to", "offline",
                    "reason", "deregistered"));
        }
    }

    public List<WorkerView> list() {
        buffer.flush();
        return views(workers.listOrderByRegisteredAt());
    }

    /** Admin and viewer keys read every worker; a worker key only its own. */
    public WorkerView get(Caller caller, String id) {
        Check.id(id, "id");
        buffer.flush();
        return views(List.of(caller.readsEveryWorker() ? workers.findById(id).orElseThrow(() -> new NotFoundException("worker", id))
                : owned(caller, id))).get(0);
    }

    private WorkerRow owned(Caller caller, String id) {
        Check.id(id, "id");
        WorkerRow row = workers.findById(id).orElseThrow(() -> new NotFoundException("worker", id));
        if (!caller.isAdmin() && !row.ownerKey().equals(caller.keyName())) {
            throw new ForbiddenException("authorization", "key '" + caller.keyName() + "' does not own worker " + id);
        }
        return row;
    }

    /** The workers as the API shows them; the tasks they run are read in one query for all of them. */
    public List<WorkerView> views(List<WorkerRow> rows) {
        Map<String, List<CurrentTask>> running = new HashMap<>();
        Set<String> ids = new HashSet<>();
        for (WorkerRow r : rows) {
            List<CurrentTask> current = read(r.currentTasks(), TASKS);
            running.put(r.id(), current);
            current.forEach(t -> ids.add(t.taskId()));
        }
        Map<String, TaskSummary> summaries = ids.isEmpty() ? Map.of()
                : tasks.findByIdIn(ids).stream().collect(Collectors.toMap(TaskSummary::id, s -> s));
        return rows.stream().map(r -> view(r, running.get(r.id()).stream()
                .map(t -> card(t, summaries.get(t.taskId()))).toList())).toList();
    }

    private static WorkerView.RunningTask card(CurrentTask t, TaskSummary s) {
        String step = t.step() == null ? null : t.step().wireName();
        Instant since = t.stepSince();
        if (s != null && s.step() != null && (since == null || s.stepSince().isAfter(since))) {
            step = s.step();
            since = s.stepSince();
        }
        return new WorkerView.RunningTask(t.workOrderId(), t.taskId(), t.type().name(), t.attempt(), t.startedAt(),
                s == null ? null : s.title(), s == null ? null : s.repositoryUrl(), step, since);
    }

    private WorkerView view(WorkerRow r, List<WorkerView.RunningTask> current) {
        Health health = Health.of(r.lastHeartbeatAt(), r.deregisteredAt(), clock.instant(), settings.getHeartbeatInterval(),
                settings.getStaleAfter());
        String shown = r.health().equals(Health.OFFLINE.wireName()) ? r.health() : health.wireName();
        return new WorkerView(r.id(), r.name(), Arrays.asList(r.workerTypes().split(",")), r.version(),
                r.maxConcurrentTasks(), read(r.specializations(), STRINGS), read(r.tools(), STRINGS),
                read(r.metadata(), MAP), r.status(), shown, r.command(), current,
                r.metrics() == null ? null : Json.read(r.metrics(), WorkerMetrics.class), r.completedCount(),
                r.failedCount(), r.registeredAt(), r.lastHeartbeatAt(), r.deregisteredAt());
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON does not parse", e);
        }
    }

    private static int seconds(Duration d) {
        return (int) Math.max(1, d.toSeconds());
    }
}
