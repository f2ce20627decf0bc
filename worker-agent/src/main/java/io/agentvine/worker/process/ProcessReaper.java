package io.agentvine.worker.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent processes of this JVM that still run, and one shutdown hook (thread {@code agent-reaper},
 * installed when the first agent starts) that stops all their trees when the JVM exits, on SIGTERM
 * from the container runtime as on {@code System.exit}, so that no agent outlives its worker. Nothing
 * can run when the JVM is SIGKILLed; there the container (its PID namespace) has to do it.
 *
 * <p>{@link AgentProcess} registers itself when it starts and unregisters once it and its tree have
 * ended, or when closed. An agent that starts while the JVM shuts down is refused and stopped at once.
 */
public final class ProcessReaper {
    private static final Logger log = LoggerFactory.getLogger(ProcessReaper.class);
    private static final ProcessReaper JVM = new ProcessReaper(true);
    private static final Duration MARGIN = Duration.ofSeconds(1);

    private final Set<AgentProcess> live = ConcurrentHashMap.newKeySet();
    private final boolean withShutdownHook;
    private final AtomicBoolean hookInstalled = new AtomicBoolean();
    private volatile boolean shuttingDown;

    /** @param withShutdownHook false for a reaper of its own in tests, which must not touch the JVM's hooks */
    ProcessReaper(boolean withShutdownHook) {
        this.withShutdownHook = withShutdownHook;
    }

    /** The reaper of this JVM, which every {@link AgentProcess} started through the public API uses. */
    public static ProcessReaper instance() {
        return JVM;
    }

    /** False when the JVM is shutting down: the caller must stop the process itself. */
    boolean register(AgentProcess p) {
        if (withShutdownHook && hookInstalled.compareAndSet(false, true)) {
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "agent-reaper"));
            } catch (IllegalStateException e) {
                shuttingDown = true; // the JVM is already going down
            }
        }
        // Added before the check: the hook sets the flag before it looks, so either it sees this process
        // or this sees the flag (or both, and the process is stopped twice, which is harmless).
        live.add(p);
        if (shuttingDown) {
            live.remove(p);
            return false;
        }
        return true;
    }

    void unregister(AgentProcess p) {
        live.remove(p);
    }

    boolean isRegistered(AgentProcess p) {
        return live.contains(p);
    }

    public int liveCount() {
        return live.size();
    }

    /**
     * Stops every registered agent tree, all at once (one thread each), so that N agents take one grace
     * period rather than N; returns when they are down, or after the longest grace plus the SIGKILL wait.
     */
    public void terminateAll() {
        terminateAll("worker JVM shutting down");
    }

    void terminateAll(String reason) {
        List<AgentProcess> all = List.copyOf(live);
        if (all.isEmpty()) {
            return;
        }
        log.info("stopping {} agent process tree(s): {}", all.size(), reason);
        Duration longest = Duration.ZERO;
        List<Thread> stoppers = new ArrayList<>(all.size());
        for (AgentProcess p : all) {
            longest = p.grace().compareTo(longest) > 0 ? p.grace() : longest;
            Thread t = new Thread(() -> p.terminate(reason), "agent-reaper-" + p.pid());
            t.setDaemon(true);
            t.start();
            stoppers.add(t);
        }
        long deadline = Bounded.deadline(longest.plus(AgentProcess.KILL_WAIT).plus(MARGIN));
        for (Thread t : stoppers) {
            if (!Bounded.join(t, deadline)) {
                log.error("{} did not finish in time", t.getName());
            }
        }
    }

    /** The shutdown hook: refuses new agents, then stops the running ones. */
    void shutdown() {
        shuttingDown = true;
        terminateAll("worker JVM shutting down");
    }
}
