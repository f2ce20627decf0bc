package io.agentvine.controller.ui;

import io.agentvine.controller.domain.NotFoundException;
import io.agentvine.controller.tasks.TaskService;
import io.agentvine.controller.tasks.TaskView;
import io.agentvine.controller.ui.model.FleetPage;
import io.agentvine.controller.ui.model.FleetPage.RunningTask;
import io.agentvine.controller.ui.model.FleetPage.Slots;
import io.agentvine.controller.ui.model.FleetPage.TypeSlots;
import io.agentvine.controller.ui.model.FleetPage.WorkerCard;
import io.agentvine.controller.workers.WorkerRegistry;
import io.agentvine.controller.workers.WorkerView;
import io.agentvine.model.CurrentTask;
import io.agentvine.model.WorkerMetrics;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Builds the Fleet page from the worker registry (and the tasks the workers run). */
@Singleton
public class FleetView {
    private final WorkerRegistry registry;
    private final TaskService tasks;
    private final Clock clock;

    public FleetView(WorkerRegistry registry, TaskService tasks, Clock clock) {
        this.registry = registry;
        this.tasks = tasks;
        this.clock = clock;
    }

    public FleetPage build(boolean admin) {
        Instant now = clock.instant();
        List<WorkerCard> cards = new ArrayList<>();
        Map<String, int[]> perType = new TreeMap<>();
        int used = 0;
        int total = 0;
        int offline = 0;
        for (WorkerView w : registry.list()) {
            if (w.deregisteredAt() != null || "offline".equals(w.health())) {
                offline++;
                continue;
            }
            int running = w.currentTasks() == null ? 0 : w.currentTasks().size();
            boolean claims = "active".equals(w.status());
            // A paused or draining worker takes no new task: its free slots are not available.
            int slots = claims ? w.maxConcurrentTasks() : running;
            used += running;
            total += slots;
            for (String t : w.workerTypes()) {
                int[] u = perType.computeIfAbsent(t, k -> new int[2]);
                u[1] += slots;
            }
            List<RunningTask> runningTasks = new ArrayList<>();
            for (CurrentTask c : w.currentTasks() == null ? List.<CurrentTask>of() : w.currentTasks()) {
                int[] u = perType.computeIfAbsent(c.type().name(), k -> new int[2]);
                u[0]++;
                runningTasks.add(running(c, now));
            }
            cards.add(card(w, runningTasks, running, slots, now, admin));
        }
        List<TypeSlots> types = perType.entrySet().stream()
                .map(e -> new TypeSlots(e.getKey(), new Slots(e.getValue()[0], e.getValue()[1]))).toList();
        Slots all = new Slots(used, total);
        String warning = all.full() ? "All worker slots in use (" + used + "/" + total + "): new tasks wait in the queue" : null;
        return new FleetPage(all, types, warning, cards, offline);
    }

    private WorkerCard card(WorkerView w, List<RunningTask> running, int used, int slots, Instant now, boolean admin) {
        WorkerMetrics m = w.metrics();
        String cpu = m == null ? "–" : String.format(Locale.ROOT, "%.0f%%", m.cpuPercent());
        String mem = m == null ? "–" : Formats.bytes(m.memoryUsedBytes()) + " / " + Formats.bytes(m.memoryTotalBytes());
        String status = w.status();
        boolean draining = "draining".equals(status) || "drained".equals(status);
        return new WorkerCard(w.id(), w.name(), w.workerTypes(), status, w.health(), w.pendingCommand(),
                new Slots(used, Math.max(slots, w.maxConcurrentTasks())), running, Formats.ago(w.lastHeartbeatAt(), now),
                cpu, mem, w.version(), w.completedCount(), w.failedCount(),
                admin && "active".equals(status), admin && "paused".equals(status), admin && !draining);
    }

    private RunningTask running(CurrentTask c, Instant now) {
        String title = "";
        String repository = "";
        try {
            TaskView t = tasks.get(c.taskId());
            title = t.title();
            repository = t.repositoryUrl();
        } catch (NotFoundException gone) {
            // A worker may report an order the controller has no task for (e.g. enqueued directly): shown by id.
        }
        return new RunningTask(c.taskId(), title, repository, c.type().name(), c.attempt(),
                c.step() == null ? null : Formats.words(c.step().wireName()),
                c.step() == null ? null : Formats.since(c.stepSince(), now), Formats.since(c.startedAt(), now));
    }
}
