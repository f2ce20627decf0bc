package io.agentvine.worker.workspace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheCheckout;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.util.RawParseUtils;
import org.eclipse.jgit.util.SystemReader;

/**
 * Writes a commit's tree into the empty working directory of a fresh clone, and its index.
 *
 * <p>JGit's {@link DirCacheCheckout} is made for switching between trees: for every file it writes a
 * temporary file, renames it into place and checks the paths around it, which made it cost about
 * four times what git's checkout costs (3,000 files: ~230 ms against ~60 ms, both on tmpfs; see
 * docs/performance.md). Into an empty directory none of that is needed, so for a <em>plain</em> tree
 * each blob is written straight to its file and the index is built from the tree.
 *
 * <p>A tree is plain when nothing could make the working file differ from the blob: no
 * {@code .gitattributes} anywhere in it (line endings, filters such as LFS, working-tree encodings),
 * no {@code info/attributes} or {@code core.attributesFile}, {@code core.autocrlf} and
 * {@code core.eol} unset or neutral, {@code core.ignorecase} off, symbolic links and file modes
 * supported, and no submodule. Any other tree goes to JGit's checkout, so a workspace never looks
 * different from what JGit would check out.
 *
 * <p>Safety is JGit's: every path passes the check JGit's checkout makes
 * ({@link SystemReader#checkPath(String)}: no {@code ..}, no {@code .git} component, nothing
 * absolute) before anything is written; directories are made first, files are created exclusively,
 * symbolic links only after every file, so a link in the tree can never redirect a write outside the
 * workspace. A failed checkout returns only once every writer thread has stopped.
 */
final class FreshCheckout {
    /** Threads writing the files of a large tree, the calling one included. */
    static final int WRITERS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    /** Smaller trees are written on the calling thread alone. */
    private static final int PARALLEL_FROM = 256;
    /** The most files of one directory a writer takes at a time. */
    private static final int RUN = 64;
    /** Created exclusively (never over anything, never through a link). */
    private static final Set<OpenOption> CREATE_NEW = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);

    private FreshCheckout() {
    }

    /**
     * Checks {@code tree} out into the empty working tree of {@code repo} and writes the index, which
     * the caller has locked ({@code repo.lockDirCache()}); the lock is released on return.
     */
    static void checkout(Repository repo, DirCache dirCache, RevTree tree) throws IOException {
        List<CheckoutPlan.Planned> entries = CheckoutPlan.plainEntries(repo, tree);
        if (entries == null) {
            CheckoutPlan.countEntries(repo, tree);
            new DirCacheCheckout(repo, dirCache, tree).checkout();
            return;
        }
        Path root = repo.getWorkTree().toPath();
        // On this thread, in tree order: every directory.
        Set<String> dirs = new HashSet<>();
        for (CheckoutPlan.Planned e : entries) {
            if (!e.dir().isEmpty() && dirs.add(e.dir())) {
                Files.createDirectories(root.resolve(e.dir()));
            }
        }
        writeFiles(repo, root, entries);
        // Symbolic links last: no write above could have gone through one.
        try (ObjectReader reader = repo.newObjectReader()) {
            for (CheckoutPlan.Planned e : entries) {
                if (e.index().getFileMode() == FileMode.SYMLINK) {
                    writeLink(root, reader, e);
                }
            }
        }
        commit(dirCache, entries);
    }

    /** Creates the symbolic link of {@code e} (never replacing anything) and puts what the index keeps of it into its entry. */
    static void writeLink(Path root, ObjectReader reader, CheckoutPlan.Planned e) throws IOException {
        Path link = root.resolve(e.path());
        byte[] target = reader.open(e.index().getObjectId(), Constants.OBJ_BLOB).getCachedBytes();
        try {
            Files.createSymbolicLink(link, Path.of(RawParseUtils.decode(target))); // decoded as JGit does
        } catch (FileAlreadyExistsException twice) {
            throw new IOException("the tree names " + e.path() + " twice");
        }
        stat(link, e.index());
        e.index().setLength(target.length); // the blob's length, as JGit records it
    }

    private static void commit(DirCache dirCache, List<CheckoutPlan.Planned> entries) throws IOException {
        DirCacheBuilder builder = dirCache.builder();
        for (CheckoutPlan.Planned e : entries) {
            builder.add(e.index());
        }
        builder.commit(); // sorts (refusing duplicates), writes the index and releases the lock
    }

    /**
     * Writes the regular files; a large tree on {@link #WRITERS} threads, this one included, each with
     * its own object reader (inflating and applying deltas is most of the work in the worker's
     * C1-only JVM, and the system calls run in parallel too).
     */
    static void writeFiles(Repository repo, Path root, List<CheckoutPlan.Planned> entries) throws IOException {
        int writers = entries.size() < PARALLEL_FROM ? 1 : WRITERS;
        int[] runs = directoryRuns(entries);
        AtomicInteger next = new AtomicInteger();
        Callable<Void> writer = () -> {
            try (ObjectReader reader = repo.newObjectReader()) { // one per thread: readers are not thread-safe
                for (int r = next.getAndIncrement(); r < runs.length - 1; r = next.getAndIncrement()) {
                    for (int i = runs[r]; i < runs[r + 1]; i++) {
                        CheckoutPlan.Planned e = entries.get(i);
                        if (e.index().getFileMode() != FileMode.SYMLINK) {
                            ObjectLoader blob = reader.open(e.index().getObjectId(), Constants.OBJ_BLOB);
                            write(root.resolve(e.path()), e.path(), e.index().getFileMode(), blob, e.index());
                        }
                    }
                }
            } catch (Throwable t) {
                next.set(runs.length); // every writer stops before its next run
                throw t;
            }
            return null;
        };
        if (writers == 1) {
            call(writer);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers - 1, r -> new Thread(r, "checkout-writer"));
        Throwable failure = null;
        boolean interrupted = false;
        try {
            List<Future<Void>> others = new ArrayList<>();
            for (int t = 1; t < writers; t++) {
                others.add(pool.submit(writer));
            }
            try {
                call(writer); // this thread writes too
            } catch (IOException | RuntimeException | Error e) {
                failure = e;
            }
            // Always wait for every writer: the caller deletes the directory when this fails.
            for (Future<Void> f : others) {
                while (true) {
                    try {
                        f.get();
                        break;
                    } catch (ExecutionException e) {
                        failure = failure != null ? failure : e.getCause();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                        next.set(runs.length);
                    }
                }
            }
        } finally {
            pool.shutdown();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure instanceof IOException io) {
            throw io;
        } else if (failure instanceof RuntimeException re) {
            throw re;
        } else if (failure instanceof Error err) {
            throw err;
        } else if (failure != null) {
            throw new IOException(failure);
        } else if (interrupted) {
            throw new IOException("checkout interrupted");
        }
    }

    /**
     * Where the writers' shares begin: each share is the files of one directory (consecutive in tree
     * order), at most {@value #RUN} of them, so that two writers seldom create files in the same
     * directory at once (the kernel serializes creates in a directory). The last element is the end.
     */
    static int[] directoryRuns(List<CheckoutPlan.Planned> entries) {
        List<Integer> starts = new ArrayList<>();
        for (int i = 0, start = 0; i < entries.size(); i++) {
            if (i == 0 || !entries.get(i).dir().equals(entries.get(i - 1).dir()) || i - start == RUN) {
                starts.add(i);
                start = i;
            }
        }
        int[] runs = new int[starts.size() + 1];
        for (int i = 0; i < starts.size(); i++) {
            runs[i] = starts.get(i);
        }
        runs[starts.size()] = entries.size();
        return runs;
    }

    private static void call(Callable<Void> writer) throws IOException {
        try {
            writer.call();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /**
     * Writes a regular file of the tree at {@code file}, created exclusively and without following a
     * link, from {@code blob}, execute bits for {@link FileMode#EXECUTABLE_FILE}; puts what the index
     * keeps of it into {@code index}.
     */
    static void write(Path file, String path, FileMode mode, ObjectLoader blob, DirCacheEntry index) throws IOException {
        try (FileChannel out = FileChannel.open(file, CREATE_NEW)) {
            if (blob.isLarge()) {
                blob.copyTo(Channels.newOutputStream(out)); // streamed, never whole in memory
            } else {
                ByteBuffer bytes = ByteBuffer.wrap(blob.getCachedBytes());
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
            }
        } catch (FileAlreadyExistsException twice) {
            throw new IOException("the tree names " + path + " twice");
        }
        if (mode == FileMode.EXECUTABLE_FILE) {
            makeExecutable(file);
        }
        stat(file, index);
    }

    /** What the index keeps of the file as written, so that git and JGit see it unchanged without reading it. */
    static void stat(Path file, DirCacheEntry d) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        d.setLength(attrs.size());
        d.setLastModified(attrs.lastModifiedTime().toInstant());
    }

    /** Adds execute where read is allowed, as git does (the umask still applies through the read bits). */
    private static void makeExecutable(Path file) throws IOException {
        Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS));
        if (perms.contains(PosixFilePermission.OWNER_READ)) {
            perms.add(PosixFilePermission.OWNER_EXECUTE);
        }
        if (perms.contains(PosixFilePermission.GROUP_READ)) {
            perms.add(PosixFilePermission.GROUP_EXECUTE);
        }
        if (perms.contains(PosixFilePermission.OTHERS_READ)) {
            perms.add(PosixFilePermission.OTHERS_EXECUTE);
        }
        Files.setPosixFilePermissions(file, perms);
    }
}
