package io.agentvine.worker.workspace;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workspaces kept for the next task on the same repository, so that its prepare writes only what
 * changed upstream instead of every file (a checkout out of a mirror's delta chains is most of a
 * prepare on a large repository; see docs/performance.md).
 *
 * <p>When a task's workspace is closed, its directory is moved (one rename) into its mirror's
 * {@value #DIR} directory as {@code dirty-<commit>-<millis>-<id>}, and the thread
 * {@code workspace-recycler} resets it to the commit the task started from ({@link WorkspaceReset}:
 * a new {@code .git}, every file compared by content), then renames it {@code clean-<commit>-<bytes>-<id>}.
 * A later task on the repository takes a clean one with one rename ({@link #take}) and switches it to
 * its own commit ({@link TreeSwitch}). Renames make each step atomic across the threads and worker
 * JVMs sharing the cache; a workspace is taken by one task at most.
 *
 * <p>At most {@code perRepository} workspaces are kept per repository (0: none); a workspace that
 * cannot be reset is deleted; one left half-reset by a worker that stopped is deleted after
 * {@link #STALE}. The kept workspaces live inside their mirror's directory: evicting or dropping the
 * mirror deletes them too, and {@link MirrorEviction} counts their bytes and deletes them first.
 */
final class WorkspacePool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkspacePool.class);
    /** The directory of a mirror holding its kept workspaces. */
    static final String DIR = "agentvine-workspaces";
    /** A workspace not reset after this long was left by a worker that stopped meanwhile. */
    static final Duration STALE = Duration.ofMinutes(30);
    /** How long {@link #close} waits for a reset under way. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
    private static final Pattern CLEAN = Pattern.compile("clean-([0-9a-f]{40})-(\\d{1,19})-[0-9a-f-]{36}");
    private static final Pattern DIRTY = Pattern.compile("dirty-([0-9a-f]{40})-(\\d{1,19})-[0-9a-f-]{36}");

    private final int perRepository;
    private final MirrorLocks locks;
    private final Clock clock;
    private final ThreadPoolExecutor recycler;
    private int pending; // guarded by this: workspaces given and not yet reset or deleted

    WorkspacePool(int perRepository, MirrorLocks locks, Clock clock) {
        if (perRepository < 0) {
            throw new IllegalArgumentException("perRepository must be 0 or more, was " + perRepository);
        }
        this.perRepository = perRepository;
        this.locks = Objects.requireNonNull(locks, "locks");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.recycler = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "workspace-recycler");
            t.setDaemon(true);
            return t;
        });
        recycler.allowCoreThreadTimeOut(true); // no thread while there is nothing to reset
    }

    /** A kept workspace: its directory, the commit its tree is at, and (clean ones) the bytes of its files. */
    record Entry(Path dir, ObjectId commit, boolean clean, long bytesOrMillis) {
    }

    /**
     * Moves a clean workspace of {@code mirror} to {@code dir} (which must not exist), one at
     * {@code tip} if there is one.
     *
     * @return the commit its tree and index are at, or null when none was taken
     */
    ObjectId take(Path mirror, Path dir, ObjectId tip) {
        if (perRepository == 0) {
            return null;
        }
        List<Entry> clean = new ArrayList<>(entries(mirror).stream().filter(Entry::clean).toList());
        clean.sort(Comparator.comparing((Entry e) -> !e.commit().equals(tip)));
        for (Entry e : clean) {
            try {
                Files.move(e.dir(), dir, StandardCopyOption.ATOMIC_MOVE);
                return e.commit();
            } catch (NoSuchFileException | FileAlreadyExistsException takenMeanwhile) {
                // another task took it (or eviction): the next one
            } catch (AtomicMoveNotSupportedException otherVolume) {
                log.info("the repository cache is on another file system than {}: workspaces are not reused", dir.getParent());
                return null;
            } catch (IOException ex) {
                log.warn("cannot take the kept workspace {}: {}", e.dir(), ex.toString());
                return null;
            }
        }
        return null;
    }

    /**
     * Keeps the closed workspace {@code dir}, started from {@code commit}, for a later task: moves it
     * into the pool and has it reset on the recycler thread.
     *
     * @return false when it is not kept (the pool is off, full or closed): the caller deletes it
     */
    boolean give(String key, Path mirror, Path dir, ObjectId commit) {
        Path entry = mirror.resolve(DIR).resolve("dirty-" + commit.name() + "-" + clock.millis() + "-" + UUID.randomUUID());
        synchronized (this) { // the count and the move at once for this JVM's tasks (two JVMs may keep one more)
            if (perRepository == 0 || recycler.isShutdown() || entries(mirror).size() >= perRepository) {
                return false;
            }
            try {
                Files.createDirectories(entry.getParent());
                Files.move(dir, entry, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                log.debug("{} is not kept for reuse: {}", dir, e.toString());
                return false;
            }
            pending++;
        }
        try {
            recycler.execute(() -> recycle(key, mirror, entry, commit));
        } catch (RejectedExecutionException closed) {
            delete(entry);
            done();
        }
        return true;
    }

    /** The kept workspaces of {@code mirror}, after deleting those left half-reset for longer than {@link #STALE}. */
    List<Entry> entries(Path mirror) {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(mirror.resolve(DIR))) {
            for (Path p : dirs) {
                String name = p.getFileName().toString();
                Matcher clean = CLEAN.matcher(name);
                Matcher dirty = DIRTY.matcher(name);
                if (clean.matches()) {
                    entries.add(new Entry(p, ObjectId.fromString(clean.group(1)), true, Long.parseLong(clean.group(2))));
                } else if (dirty.matches() && clock.millis() - Long.parseLong(dirty.group(2)) < STALE.toMillis()) {
                    entries.add(new Entry(p, ObjectId.fromString(dirty.group(1)), false, Long.parseLong(dirty.group(2))));
                } else {
                    delete(p); // stale, or not ours
                }
            }
        } catch (NoSuchFileException none) {
            // no workspace kept yet
        } catch (IOException e) {
            log.warn("cannot list the kept workspaces of {}: {}", mirror, e.toString());
        }
        return entries;
    }

    /** The bytes the clean workspaces of {@code mirror} take (as recorded when each was reset). */
    long bytes(Path mirror) {
        return entries(mirror).stream().filter(Entry::clean).mapToLong(Entry::bytesOrMillis).sum();
    }

    /** Deletes a kept workspace (moved aside first, so that no task takes it half-deleted). */
    static void delete(Path entry) {
        Path aside = entry.resolveSibling(".deleting-" + UUID.randomUUID());
        try {
            Files.move(entry, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException gone) {
            return;
        } catch (IOException e) {
            aside = entry;
        }
        IOException failure = Directories.delete(aside);
        if (failure != null) {
            log.warn("{} not fully deleted: {}", aside, failure.toString());
        }
    }

    /** Waits until every workspace given so far is reset or deleted; false if {@code timeout} passed first. */
    synchronized boolean awaitRecycled(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); pending > 0; left = end - System.nanoTime()) {
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    private void recycle(String key, Path mirror, Path entry, ObjectId commit) {
        long started = System.nanoTime();
        Runnable release = null;
        try {
            release = locks.use(key); // the mirror is not evicted meanwhile
            if (!Files.isDirectory(entry)) {
                return; // deleted with its mirror
            }
            long bytes = WorkspaceReset.reset(entry, mirror.resolve("objects"), commit);
            Files.move(entry, entry.resolveSibling("clean-" + commit.name() + "-" + bytes + "-" + UUID.randomUUID()),
                    StandardCopyOption.ATOMIC_MOVE);
            log.info("a workspace of {} reset to {} for the next task in {} ms", mirror.getFileName(), commit.name(),
                    (System.nanoTime() - started) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            log.info("a used workspace of {} is not kept ({}): deleted", mirror.getFileName(), e.toString());
            delete(entry);
        } finally {
            if (release != null) {
                release.run();
            }
            done();
        }
    }

    private synchronized void done() {
        pending--;
        notifyAll();
    }

    /**
     * Stops the recycler: no reset starts any more, and the one under way gets {@link #CLOSE_WAIT} to
     * end (a worker stopping must not outlast its container's grace period for it). Workspaces not
     * reset stay as they are and are deleted once {@link #STALE}. Idempotent.
     */
    @Override
    public void close() {
        recycler.shutdownNow();
        try {
            if (!recycler.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.info("a workspace is still being reset; it is left to be deleted later");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
