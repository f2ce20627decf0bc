package io.agentvine.worker.workspace;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The locks of the mirrors of one cache directory, good across threads of this JVM and across JVMs
 * (two workers sharing the cache's volume). Each mirror {@code <key>.git} has a lock file
 * {@code <key>.lock} next to it, and two locks on it ({@link FileChannel#lock}):
 * <ul>
 * <li>byte 1, <b>use</b>: held shared by every JVM with a task whose workspace borrows the mirror's
 *     objects (from before the mirror is updated until the workspace is closed); taken exclusively
 *     only to delete the mirror, so a mirror in use is never evicted;</li>
 * <li>byte 0, <b>update</b>: held exclusively while a mirror is created, fetched into or dropped.</li>
 * </ul>
 * File locks belong to the whole JVM, so inside it the users of a mirror are counted (the first takes
 * the shared file lock, the last gives it back) and updates also take an in-JVM lock. Lock files stay
 * when their mirror is deleted: a file another JVM still has open must not be replaced by a new one.
 *
 * <p>The blocking {@link FileChannel#lock} is called on a thread of {@link #LOCKING}, which nobody interrupts, and
 * waited for without giving way to an interrupt: an interrupt during {@code lock} closes the channel, and with it
 * every lock this JVM holds on the file — a task cancelled while it waited for another JVM's fetch would drop the
 * use lock its neighbours hold, and the other JVM could evict their mirror. The interrupt is kept for the caller.
 */
final class MirrorLocks {
    private static final long UPDATE = 0;
    private static final long USE = 1;
    private static final AtomicInteger LOCKING_THREADS = new AtomicInteger();
    /** Takes the blocking file locks; its threads end a minute after their last lock. */
    private static final ExecutorService LOCKING = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mirror-lock-" + LOCKING_THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    /** One instance per cache directory in this JVM: file locks are the JVM's, whoever asks for them. */
    private static final ConcurrentHashMap<Path, MirrorLocks> BY_DIRECTORY = new ConcurrentHashMap<>();

    private final Path root;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    private MirrorLocks(Path root) {
        this.root = root;
    }

    /** The locks of the cache directory {@code root} (absolute, normalised), shared by every cache of this JVM on it. */
    static MirrorLocks of(Path root) {
        return BY_DIRECTORY.computeIfAbsent(root.toAbsolutePath().normalize(), MirrorLocks::new);
    }

    /** An action on a mirror's files, run under one of its locks. */
    interface Action<T> {
        T run() throws IOException;
    }

    /** Marks the mirror {@code key} in use until the returned action runs (once). */
    Runnable use(String key) throws IOException {
        Entry e = entry(key);
        synchronized (e) {
            if (e.users == 0) {
                e.useLock = lock(e, USE, true); // waits while another JVM deletes the mirror
            }
            e.users++;
        }
        boolean[] released = new boolean[1];
        return () -> {
            synchronized (e) {
                if (released[0]) {
                    return;
                }
                released[0] = true;
                if (--e.users == 0) {
                    FileLock l = e.useLock;
                    e.useLock = null;
                    try {
                        l.release();
                    } catch (IOException ignored) {
                        // the channel is gone: so is the lock
                    }
                }
            }
        };
    }

    /** Runs {@code action} holding the mirror's update lock, in this JVM and across JVMs. */
    <T> T update(String key, Action<T> action) throws IOException {
        Entry e = entry(key);
        e.update.lock();
        try (FileLock ignored = lock(e, UPDATE, false)) {
            return action.run();
        } finally {
            e.update.unlock();
        }
    }

    /**
     * Runs {@code action} (a deletion) if no task of this JVM or of another uses the mirror, holding
     * its use lock exclusively meanwhile.
     *
     * @return false when the mirror is in use (nothing ran)
     */
    boolean ifUnused(String key, Action<?> action) throws IOException {
        Entry e = entry(key);
        synchronized (e) {
            if (e.users > 0) {
                return false;
            }
            FileLock l;
            try {
                l = e.channel().tryLock(USE, 1, false);
            } catch (OverlappingFileLockException inUseHere) {
                return false;
            }
            if (l == null) {
                return false; // another JVM uses it
            }
            try (l) {
                action.run();
                return true;
            }
        }
    }

    /** {@code FileChannel.lock} of the entry's channel, out of the reach of the caller's interrupts. */
    private static FileLock lock(Entry e, long position, boolean shared) throws IOException {
        FileChannel channel = e.channel(); // opened here: the caller may hold the entry's monitor, which channel() takes
        Future<FileLock> taken = LOCKING.submit(() -> channel.lock(position, 1, shared));
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return taken.get();
                } catch (InterruptedException i) {
                    interrupted = true; // the lock is coming (or failing): wait for it, then hand the interrupt back
                } catch (ExecutionException failed) {
                    Throwable cause = failed.getCause();
                    if (cause instanceof IOException io) {
                        throw io;
                    }
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IOException("cannot lock " + e.file + ": " + cause, cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Entry entry(String key) {
        return entries.computeIfAbsent(key, k -> new Entry(root.resolve(k + ".lock")));
    }

    /** One mirror's locks in this JVM; its lock file stays open for the JVM's lifetime (one descriptor a mirror). */
    private static final class Entry {
        final ReentrantLock update = new ReentrantLock();
        final Path file;
        FileChannel channel; // guarded by this
        int users; // guarded by this
        FileLock useLock; // guarded by this

        Entry(Path file) {
            this.file = file;
        }

        synchronized FileChannel channel() throws IOException {
            if (channel == null || !channel.isOpen()) {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
            return channel;
        }
    }
}
