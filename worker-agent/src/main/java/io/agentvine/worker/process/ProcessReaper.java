package io.agentvine.worker.process;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every live agent process of this JVM, and one shutdown hook (thread {@code agent-reaper}) that stops
 * all their trees when the JVM exits — also on SIGTERM from the container runtime — so that no agent
 * outlives its worker.
 */
public final class ProcessReaper {
    static final ProcessReaper INSTANCE = new ProcessReaper();

    private final Set<AgentProcess> live = ConcurrentHashMap.newKeySet();

    private ProcessReaper() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::terminateAll, "agent-reaper"));
    }

    public static ProcessReaper instance() {
        return INSTANCE;
    }

    void register(AgentProcess p) {
        live.add(p);
    }

    void unregister(AgentProcess p) {
        live.remove(p);
    }

    public int liveCount() {
        return live.size();
    }

    /** Stops every registered agent tree (in parallel, so N agents take one grace period, not N). */
    public void terminateAll() {
        List<AgentProcess> all = List.copyOf(live);
        all.parallelStream().forEach(p -> p.terminate("worker shutting down"));
    }
}
