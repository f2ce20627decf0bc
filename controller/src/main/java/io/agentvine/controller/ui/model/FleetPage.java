package io.agentvine.controller.ui.model;

import java.util.List;

/**
 * The Fleet page: slots in use over the whole fleet and per task type, the warning when every slot
 * is in use, and one card per live worker.
 */
public record FleetPage(Slots total, List<TypeSlots> perType, String fullWarning, List<WorkerCard> workers,
                        int offlineWorkers) {

    /** Slots in use and in all. */
    public record Slots(int used, int total) {
        public boolean full() {
            return total > 0 && used >= total;
        }
    }

    public record TypeSlots(String type, Slots slots) {
    }

    /**
     * A worker: {@code status} (active, paused, draining, drained), {@code health} (healthy, stale,
     * unhealthy, offline), {@code pendingCommand} it has not acknowledged yet; resource figures
     * already formatted; {@code heartbeatAgeS}: seconds since the last heartbeat (null: never), which the
     * page ticks on by itself.
     */
    public record WorkerCard(String id, String name, List<String> types, String status, String health,
                             String pendingCommand, Slots slots, List<RunningTask> tasks, String lastHeartbeat,
                             Long heartbeatAgeS, String cpu, String memory, String version, long completed, long failed,
                             boolean canPause, boolean canResume, boolean canDrain) {
    }

    /**
     * A task a worker runs: title and repository (from the task), type, attempt, current step
     * ({@code null} until the worker reports steps) and how long it has run; the same durations in seconds
     * ({@code stepForS}, {@code elapsedS}; null when unknown), which the page ticks on by itself.
     */
    public record RunningTask(String taskId, String title, String repository, String type, int attempt,
                              String step, String stepFor, String elapsed, Long stepForS, Long elapsedS) {
    }
}
