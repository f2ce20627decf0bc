package io.agentvine.controller.ui;

import io.agentvine.controller.ui.model.FleetPage;
import io.agentvine.controller.ui.model.FleetPage.RunningTask;
import io.agentvine.controller.ui.model.FleetPage.Slots;
import io.agentvine.controller.ui.model.FleetPage.TypeSlots;
import io.agentvine.controller.ui.model.FleetPage.WorkerCard;
import io.agentvine.controller.workers.WorkerRegistry;
import io.agentvine.controller.workers.WorkerView;
import io.agentvine.model.WorkerMetrics;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Builds the Fleet page from the worker registry (its views carry each running task's title, repository and step). */
@Singleton
public class FleetView {
    /** The worker statuses (wire names) in which a worker claims new tasks. */
    private static final Set<String> CLAIMING = Set.of("starting", "idle", "busy");
    private final WorkerRegistry registry;
    private final Clock clock;

    public FleetView(WorkerRegistry registry, Clock clock) {
        this.registry = registry;
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
            boolean claims = CLAIMING.contains(w.status());
            // A paused or draining worker takes no new task: its free slots are not available.
            int slots = claims ? w.maxConcurrentTasks() : running;
            used += running;
            total += slots;
            for (String t : w.workerTypes()) {
                int[] u = perType.computeIfAbsent(t, k -> new int[2]);
                u[1] += slots;
            }
            List<RunningTask> runningTasks = new ArrayList<>();
            for (WorkerView.RunningTask c : w.currentTasks() == null ? List.<WorkerView.RunningTask>of() : w.currentTasks()) {
                int[] u = perType.computeIfAbsent(c.type(), k -> new int[2]);
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
        boolean draining = "draining".equals(status) || "drained".equals(status) || "stopping".equals(status);
        String pending = w.pendingCommand() == null || "none".equals(w.pendingCommand()) ? null : w.pendingCommand();
        return new WorkerCard(w.id(), w.name(), w.workerTypes(), status, w.health(), pending,
                new Slots(used, Math.max(slots, w.maxConcurrentTasks())), running, Formats.ago(w.lastHeartbeatAt(), now),
                Formats.seconds(w.lastHeartbeatAt(), now), cpu, mem, w.version(), w.completedCount(), w.failedCount(),
                admin && CLAIMING.contains(status), admin && "paused".equals(status), admin && !draining);
    }

    private static RunningTask running(WorkerView.RunningTask c, Instant now) {
        return new RunningTask(c.taskId(), c.title() == null ? "" : c.title(), c.repository() == null ? "" : c.repository(),
                c.type(), c.attempt(), c.step() == null ? null : Formats.words(c.step()),
                c.step() == null ? null : Formats.since(c.stepSince(), now), Formats.since(c.startedAt(), now),
                c.step() == null ? null : Formats.seconds(c.stepSince(), now), Formats.seconds(c.startedAt(), now));
    }
}
