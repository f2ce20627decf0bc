package io.agentvine.worker.workspace;

import io.agentvine.worker.workspace.FreshCheckout.Written;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.BlobObjectChecker;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectChecker;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;

/**
 * Writes the files of a fresh depth-1 clone while its pack is still being parsed, on other
 * threads: the fetch spends most of its time resolving deltas and hashing objects on one thread, and
 * writing 3,000 files costs about as much again; done one after the other they took ~135 ms here,
 * overlapped ~100 ms (docs/performance.md).
 *
 * <p>JGit's pack parser hands every object it has hashed to its {@link ObjectChecker}; this one
 * checks nothing (fsck is off for fetches, as in git) and instead collects the commit and its trees
 * until the tree is complete, checks every path as {@link FreshCheckout} does, and then lets its
 * writer threads ({@code checkout-writer-N}) make the directories and write each blob to its paths
 * as the blob arrives (blobs that came earlier wait in memory). They create files exclusively and never write a
 * symbolic link; {@link FreshCheckout} afterwards writes what is left (symbolic links, blobs larger
 * than {@value #MAX_BLOB} bytes or beyond the memory budget) and the index, and checks that what was
 * written is the tree it checks out.
 *
 * <p>It gives up, leaving everything to {@link FreshCheckout}, when the tree is not plain (see
 * there), when a path cannot be checked out (FreshCheckout then refuses the tree with its message),
 * and when the pack holds more than one commit before the tree is complete. A pack with a second
 * commit after writing started fails the clone. Memory: at most the budget given, in trees until the
 * tree is complete and blobs waiting to be written; it gives up past {@value #MAX_PATHS} paths or
 * {@value #MAX_DEPTH} levels of directories. Directories are made for files only, as git makes them.
 *
 * <p>The checker methods run on the fetching thread; {@link #finish()} or {@link #abort()} must
 * follow the fetch, on that thread, and return once every writer has stopped.
 */
final class StreamingCheckout extends ObjectChecker {
    /** Larger blobs are left to the checkout after the fetch (it streams them from the pack). */
    static final int MAX_BLOB = 1 << 20;
    /**
     * Paths in a tree beyond which it gives up: a tree repeated under many names expands
     * exponentially (a "tree bomb"), and the writer would hold every path in memory.
     */
    static final int MAX_PATHS = 200_000;
    /** Directory depth beyond which it gives up (its walk is recursive; FreshCheckout's is not). */
    static final int MAX_DEPTH = 256;
    private static final Object END = new Object();

    private final Path root;
    private final long budget;
    private boolean off;
    private int commits;
    private ObjectId rootTree;
    /** Trees seen, by id, until the tree is complete. */
    private final Map<ObjectId, byte[]> trees = new HashMap<>();
    /** Trees the tree needs and that have not come yet, with the paths they go to. */
    private final Map<ObjectId, List<String>> missing = new HashMap<>();
    private final Map<ObjectId, List<Target>> targets = new HashMap<>();
    private final Set<String> paths = new HashSet<>();
    /** Every directory the tree names (a file of the same name makes it give up). */
    private final Set<String> dirs = new HashSet<>();
    /** The directories the writers make: those holding files (as git, no empty ones). */
    private final Set<String> parents = new LinkedHashSet<>();
    /** Bytes of trees held until the tree is complete, counted against the budget with the blobs. */
    private long treeBytes;
    /** Blobs that came before the tree was complete. */
    private final Map<ObjectId, byte[]> early = new HashMap<>();
    private final Set<ObjectId> handedOver = new HashSet<>();
    private final AtomicLong held = new AtomicLong();

    /** The writer threads, once the tree is complete: {@link FreshCheckout#WRITERS} of them. */
    private Thread[] writers;
    private final CountDownLatch dirsMade = new CountDownLatch(1);
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Map<String, Written> written = new ConcurrentHashMap<>();
    private volatile boolean stop;
    private volatile IOException failure;

    private record Target(String path, FileMode mode) {
    }

    private record Blob(ObjectId id, byte[] bytes) {
    }

    /**
     * @param repo   the fresh repository, whose working tree is empty
     * @param budget the most bytes of blobs held in memory at once
     */
    StreamingCheckout(Repository repo, long budget) {
        this.root = repo.getWorkTree().toPath();
        this.budget = budget;
        this.off = !FreshCheckout.plainConfig(repo);
    }

    @Override
    public void check(AnyObjectId id, int type, byte[] raw) {
        if (off) {
            return;
        }
        switch (type) {
            case Constants.OBJ_COMMIT -> commit(raw);
            case Constants.OBJ_TREE -> tree(id.copy(), raw);
            case Constants.OBJ_BLOB -> blob(id.copy(), raw);
            default -> { } // tags: nothing to write
        }
    }

    @Override
    public BlobObjectChecker newBlobObjectChecker() {
        if (off) {
            return BlobObjectChecker.NULL_CHECKER;
        }
        return new BlobObjectChecker() {
            private byte[] buf = new byte[8192];
            private int length;

            @Override
            public void update(byte[] in, int p, int n) {
                if (buf == null) {
                    return;
                }
                if (length + n > MAX_BLOB) {
                    buf = null; // too large to hold: the checkout after the fetch streams it
                    return;
                }
                if (length + n > buf.length) {
                    buf = Arrays.copyOf(buf, Math.min(MAX_BLOB, Math.max(buf.length * 2, length + n)));
                }
                System.arraycopy(in, p, buf, length, n);
                length += n;
            }

            @Override
            public void endBlob(AnyObjectId id) {
                if (buf != null && !off) {
                    blob(id.copy(), buf.length == length ? buf : Arrays.copyOf(buf, length));
                }
            }
        };
    }

    private void commit(byte[] raw) {
        if (++commits > 1) {
            if (writers != null) {
                fail(new IOException("the shallow pack holds more than one commit"));
            }
            giveUp();
            return;
        }
        // A commit starts with "tree <40 hex>\n".
        if (raw.length < 46 || raw[0] != 't' || raw[4] != ' ') {
            giveUp();
            return;
        }
        try {
            rootTree = ObjectId.fromString(raw, 5);
            expand(rootTree, "");
        } catch (RuntimeException malformed) {
            giveUp(); // the fetch or the checkout after it reports what is wrong with the object
            return;
        }
        completeIfReady();
    }

    private void tree(ObjectId id, byte[] raw) {
        if (writers != null) {
            return;
        }
        treeBytes += raw.length;
        if (treeBytes + held.get() > budget) {
            giveUp(); // trees (wanted or not) beyond the budget before the tree is complete
            return;
        }
        trees.put(id, raw);
        List<String> prefixes = missing.remove(id);
        if (prefixes != null) {
            try {
                for (String prefix : prefixes) {
                    expand(id, prefix);
                }
            } catch (RuntimeException malformed) {
                giveUp(); // CanonicalTreeParser on a malformed tree: the checkout after the fetch reports it
                return;
            }
            completeIfReady();
        }
    }

    /** Adds the entries of the tree {@code id} under {@code prefix}, or notes it as missing. */
    private void expand(ObjectId id, String prefix) {
        if (depth(prefix) > MAX_DEPTH) {
            giveUp();
            return;
        }
        byte[] raw = trees.get(id);
        if (raw == null) {
            missing.computeIfAbsent(id, k -> new ArrayList<>()).add(prefix);
            return;
        }
        CanonicalTreeParser p = new CanonicalTreeParser();
        p.reset(raw);
        for (; !p.eof() && !off; p.next()) {
            if (paths.size() + dirs.size() >= MAX_PATHS) {
                giveUp();
                return;
            }
            String name = p.getEntryPathString();
            String path = prefix + name;
            FileMode mode = p.getEntryFileMode();
            try {
                if (mode == FileMode.TREE) {
                    FreshCheckout.checkPath(path);
                    if (paths.contains(path) || !dirs.add(path)) {
                        giveUp(); // a name twice: FreshCheckout says so
                        return;
                    }
                    expand(p.getEntryObjectId(), path + "/");
                    continue;
                }
                if (!FreshCheckout.plainEntry(path, name, mode) || dirs.contains(path) || !paths.add(path)) {
                    giveUp(); // JGit's checkout, or FreshCheckout's message for the path named twice
                    return;
                }
            } catch (IOException notCheckable) {
                giveUp(); // FreshCheckout refuses the tree with the message
                return;
            }
            targets.computeIfAbsent(p.getEntryObjectId(), k -> new ArrayList<>()).add(new Target(path, mode));
        }
    }

    private static int depth(String prefix) {
        int depth = 0;
        for (int i = 0; i < prefix.length(); i++) {
            if (prefix.charAt(i) == '/') {
                depth++;
            }
        }
        return depth;
    }

    private void completeIfReady() {
        if (off || rootTree == null || !missing.isEmpty() || writers != null) {
            return;
        }
        trees.clear();
        treeBytes = 0;
        for (List<Target> ts : targets.values()) {
            for (Target t : ts) {
                int slash = t.path().lastIndexOf('/');
                if (slash > 0) {
                    parents.add(t.path().substring(0, slash));
                }
            }
        }
        for (Map.Entry<ObjectId, byte[]> e : early.entrySet()) {
            if (targets.containsKey(e.getKey()) && handedOver.add(e.getKey())) {
                queue.add(new Blob(e.getKey(), e.getValue()));
            } else {
                held.addAndGet(-e.getValue().length);
            }
        }
        early.clear();
        // More than one: where creating a file costs more than writing it (0.5 ms on an ext4 mounted
        // with discard, see docs/performance.md), one writer would leave the clone waiting on it.
        writers = new Thread[FreshCheckout.WRITERS];
        for (int i = 0; i < writers.length; i++) {
            boolean first = i == 0;
            writers[i] = new Thread(() -> write(first), "checkout-writer-" + (i + 1));
            writers[i].setDaemon(true);
        }
        for (Thread w : writers) {
            w.start();
        }
    }

    private void blob(ObjectId id, byte[] bytes) {
        if (off || (writers != null && (!targets.containsKey(id) || handedOver.contains(id))) || early.containsKey(id)) {
            return;
        }
        if (bytes.length > MAX_BLOB || held.get() + bytes.length > budget) {
            return; // the checkout after the fetch reads it from the pack
        }
        held.addAndGet(bytes.length);
        if (writers == null) {
            early.put(id, bytes);
        } else {
            handedOver.add(id);
            queue.add(new Blob(id, bytes));
        }
    }

    private void giveUp() {
        off = true;
        trees.clear();
        treeBytes = 0;
        missing.clear();
        for (byte[] e : early.values()) {
            held.addAndGet(-e.length);
        }
        early.clear();
        if (writers == null) {
            targets.clear();
        }
    }

    /**
     * A writer thread: the first makes the directories while the others wait; then each takes blobs
     * and writes each to its paths (symbolic links never).
     */
    private void write(boolean first) {
        if (first) {
            try {
                for (String dir : parents) {
                    Files.createDirectories(root.resolve(dir));
                }
            } catch (IOException | RuntimeException e) {
                fail(e instanceof IOException io ? io : new IOException(e.toString(), e));
            } finally {
                dirsMade.countDown();
            }
        } else {
            while (true) {
                try {
                    dirsMade.await();
                    break;
                } catch (InterruptedException e) {
                    stop = true; // as below: keep going to END, writing nothing
                }
            }
        }
        while (true) {
            Object next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                stop = true; // abort() interrupts only after setting stop; keep draining to END
                continue;
            }
            if (next == END) {
                return;
            }
            Blob blob = (Blob) next;
            held.addAndGet(-blob.bytes().length);
            if (stop) {
                continue;
            }
            for (Target t : targets.get(blob.id())) {
                if (t.mode() == FileMode.SYMLINK) {
                    continue;
                }
                try {
                    written.put(t.path(), FreshCheckout.write(root.resolve(t.path()), t.path(), t.mode(), blob.id(), blob.bytes()));
                } catch (IOException e) {
                    fail(e);
                    break;
                } catch (RuntimeException | Error e) {
                    fail(new IOException("cannot write " + t.path() + ": " + e, e));
                    break;
                }
            }
        }
    }

    /** The first failure is the one reported; every writer stops writing. */
    private synchronized void fail(IOException e) {
        if (failure == null) {
            failure = e;
        }
        stop = true;
    }

    /**
     * After a fetch that succeeded: waits for the writers and returns the files it wrote, by path.
     *
     * @throws IOException what a writer failed with (the clone fails: the caller deletes it)
     */
    Map<String, Written> finish() throws IOException {
        stopWriter();
        if (failure != null) {
            throw failure;
        }
        return Map.copyOf(written);
    }

    /** After a failed fetch: stops the writers without writing more. */
    void abort() {
        stop = true;
        stopWriter();
    }

    private void stopWriter() {
        giveUp();
        if (writers == null) {
            return;
        }
        for (int i = 0; i < writers.length; i++) {
            queue.add(END);
        }
        boolean interrupted = false;
        for (Thread w : writers) {
            while (true) {
                try {
                    w.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    stop = true; // finish quickly: the caller is being interrupted
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether it gave up streaming (for tests). */
    boolean gaveUp() {
        return off;
    }

    /** Bytes of blobs held now (for tests). */
    long held() {
        return held.get();
    }
}
