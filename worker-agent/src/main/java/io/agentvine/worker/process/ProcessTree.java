package io.agentvine.worker.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent process and every process it started, and the means to stop them all.
 *
 * <p>The hard part is finding them. When a process dies its children are re-parented (to init or a
 * sub-reaper) and can no longer be reached through {@link ProcessHandle#descendants()} of the agent:
 * an intermediate shell that exits, a daemon that double-forks, the agent itself once it has exited,
 * or — the race a tree captured once cannot win — a child forked just before its parent got SIGTERM.
 * So a process belongs to the tree when any of these finds it:
 * <ol>
 *   <li>it is a descendant of the agent or of another member, now;
 *   <li>it was seen as a descendant while the agent ran ({@link #remember()}, called periodically);
 *   <li>it carries the run's cookie, a variable with a random value put into the agent's environment
 *       and inherited by everything it starts; found through {@code /proc/<pid>/environ} (Linux, and
 *       only our own user's processes, which are the only ones we could signal anyway). This is what
 *       catches re-parented processes reliably; only one that clears its environment escapes it.
 * </ol>
 * Handles carry the process's start time, so a pid that the OS has reused for another process is
 * neither signalled nor counted as alive.
 */
final class ProcessTree {
    private static final Logger log = LoggerFactory.getLogger(ProcessTree.class);
    private static final long POLL_MS = 25;
    /** Looking for the cookie reads the environment of every process: not on every poll. */
    private static final long COOKIE_SCAN_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final Path PROC = Path.of("/proc");

    private final ProcessHandle root;
    private final byte[] cookie; // "NAME=value", or empty for none
    private final Duration killWait;
    private final Set<ProcessHandle> remembered = ConcurrentHashMap.newKeySet();
    private final Object stopping = new Object();

    /** @param cookie the {@code NAME=value} entry in the environment of the tree's processes, or null */
    ProcessTree(ProcessHandle root, String cookie, Duration killWait) {
        this.root = root;
        this.cookie = cookie == null ? new byte[0] : cookie.getBytes(StandardCharsets.UTF_8);
        this.killWait = killWait;
    }

    /** Adds the root's current descendants to those remembered and forgets the ones that ended. */
    void remember() {
        remembered.removeIf(h -> !running(h));
        root.descendants().forEach(remembered::add);
    }

    boolean remembers(long pid) {
        return remembered.stream().anyMatch(h -> h.pid() == pid);
    }

    /** Every process of the tree that runs now. */
    List<ProcessHandle> members() {
        return runningOf(collect());
    }

    /**
     * Stops the whole tree: SIGTERM to every process of it at once, then, while waiting up to
     * {@code grace} for them to end, SIGTERM to any process of it found meanwhile; SIGKILL to everything
     * still running after the grace, then waits (bounded) until nothing of the tree runs. One stop at a
     * time: a concurrent caller waits for the running one and then finds nothing left to do.
     *
     * @return true when nothing of the tree runs any more
     */
    boolean stop(String reason, Duration grace) {
        synchronized (stopping) {
            // Everything findable is collected before the first signal: once a parent dies, its children
            // are out of reach but for the cookie.
            Set<ProcessHandle> tree = collect();
            List<ProcessHandle> targets = runningOf(tree);
            if (targets.isEmpty()) {
                return true;
            }
            log.info("agent pid {}: SIGTERM to {} process(es) {}: {}", root.pid(), targets.size(), pids(targets), reason);
            signal(targets, false);
            if (awaitEnd(tree, Bounded.deadline(grace), false)) {
                return true;
            }
            grow(tree, true);
            List<ProcessHandle> survivors = runningOf(tree);
            log.warn("agent pid {}: {} still running {} after SIGTERM: SIGKILL", root.pid(), pids(survivors), grace);
            signal(survivors, true);
            if (awaitEnd(tree, Bounded.deadline(killWait), true)) {
                return true;
            }
            log.error("agent pid {}: {} still running {} after SIGKILL", root.pid(), pids(runningOf(tree)), killWait);
            return false;
        }
    }

    private Set<ProcessHandle> collect() {
        Set<ProcessHandle> tree = new LinkedHashSet<>();
        tree.add(root);
        tree.addAll(remembered);
        grow(tree, true);
        return tree;
    }

    /**
     * Polls until nothing of the tree runs; a process of it found meanwhile gets the same signal. "Nothing
     * runs" is only believed after a cookie scan found nothing new either.
     */
    private boolean awaitEnd(Set<ProcessHandle> tree, long deadline, boolean force) {
        long nextCookieScan = System.nanoTime() + COOKIE_SCAN_NANOS;
        while (true) {
            boolean withCookie = System.nanoTime() - nextCookieScan >= 0;
            if (withCookie) {
                nextCookieScan = System.nanoTime() + COOKIE_SCAN_NANOS;
            }
            signal(grow(tree, withCookie), force);
            if (runningOf(tree).isEmpty()) {
                List<ProcessHandle> late = runningOf(grow(tree, true));
                if (late.isEmpty()) {
                    return true;
                }
                signal(late, force);
            }
            long ms = Bounded.millisLeft(deadline);
            if (ms == 0) {
                return false;
            }
            Bounded.sleep(Math.min(POLL_MS, ms));
        }
    }

    /** Adds what belongs to the tree and is not in it yet (see the class comment); returns the new ones. */
    private List<ProcessHandle> grow(Set<ProcessHandle> tree, boolean withCookie) {
        List<ProcessHandle> found = new ArrayList<>();
        if (withCookie) {
            for (ProcessHandle h : carryingCookie()) {
                if (tree.add(h)) {
                    found.add(h);
                }
            }
        }
        // A member already covered by an ancestor's scan is skipped: every scan reads all of /proc.
        Set<ProcessHandle> covered = new HashSet<>();
        for (ProcessHandle h : List.copyOf(tree)) {
            if (covered.contains(h) || !h.isAlive()) {
                continue;
            }
            h.descendants().forEach(d -> {
                covered.add(d);
                if (tree.add(d)) {
                    found.add(d);
                }
            });
        }
        return found;
    }

    private List<ProcessHandle> carryingCookie() {
        if (cookie.length == 0 || !Files.isDirectory(PROC)) {
            return List.of();
        }
        ProcessHandle self = ProcessHandle.current();
        return ProcessHandle.allProcesses()
                .filter(h -> !h.equals(self))
                .filter(this::carriesCookie)
                .toList();
    }

    private boolean carriesCookie(ProcessHandle h) {
        byte[] env;
        try {
            env = Files.readAllBytes(PROC.resolve(h.pid() + "/environ"));
        } catch (IOException | SecurityException e) {
            return false; // another user's process, or it ended
        }
        // Checked after the read: while the handle (which knows the start time) is alive, its pid cannot
        // have been reused, so the environment read was this process's.
        return hasEntry(env, cookie) && h.isAlive();
    }

    /** Whether the NUL-separated {@code environ} holds exactly {@code entry}. */
    static boolean hasEntry(byte[] environ, byte[] entry) {
        int i = 0;
        while (i < environ.length) {
            int end = i;
            while (end < environ.length && environ[end] != 0) {
                end++;
            }
            if (end - i == entry.length && entry.length > 0 && Arrays.equals(environ, i, end, entry, 0, entry.length)) {
                return true;
            }
            i = end + 1;
        }
        return false;
    }

    private static void signal(List<ProcessHandle> handles, boolean force) {
        for (ProcessHandle h : handles) {
            // Through the handle even for the agent itself: Process.destroy() would also close our ends of
            // its pipes, and the lines it still writes while it shuts down would be lost.
            if (force) {
                h.destroyForcibly();
            } else {
                h.destroy();
            }
        }
    }

    private static List<ProcessHandle> runningOf(Collection<ProcessHandle> handles) {
        return handles.stream().filter(ProcessTree::running).toList();
    }

    /**
     * Whether the process runs. A zombie does not: it has ended and only waits for its parent to collect
     * it, yet {@link ProcessHandle#isAlive()} says true. Where nobody collects orphans promptly (a JVM as
     * pid 1 never does), a stopped tree would otherwise look alive until the bound.
     */
    static boolean running(ProcessHandle h) {
        if (!h.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(PROC.resolve(h.pid() + "/stat")); // "pid (comm) S ppid ..."
            int i = stat.lastIndexOf(')');
            if (i < 0 || i + 2 >= stat.length()) {
                return true;
            }
            char state = stat.charAt(i + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return h.isAlive(); // no /proc (not Linux), or the process ended just now
        }
    }

    private static List<Long> pids(List<ProcessHandle> handles) {
        return handles.stream().map(ProcessHandle::pid).toList();
    }
}
