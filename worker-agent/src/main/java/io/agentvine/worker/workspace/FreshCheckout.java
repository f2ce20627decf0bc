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
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.CoreConfig.AutoCRLF;
import org.eclipse.jgit.lib.CoreConfig.SymLinks;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.WorkingTreeOptions;
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
    /**
     * The most entries a tree checked out may have: its index lives in the heap (a few hundred bytes
     * an entry), and a few small trees each naming the next twice expand to millions of paths.
     */
    static final int MAX_ENTRIES = (int) Math.max(100_000, Math.min(Integer.MAX_VALUE, Runtime.getRuntime().maxMemory() / 512));
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
        checkout(repo, dirCache, tree, Map.of());
    }

    /**
     * As {@link #checkout(Repository, DirCache, RevTree)}, where the files in {@code written} (by
     * {@link StreamingCheckout}, while the pack was parsed) are already there: only their stat goes
     * into the index.
     */
    static void checkout(Repository repo, DirCache dirCache, RevTree tree, Map<String, Written> written) throws IOException {
        List<Planned> entries = plainEntries(repo, tree);
        if (entries == null) {
            if (!written.isEmpty()) {
                throw new IOException("files were written for a tree that is not plain"); // StreamingCheckout checks as plainEntries
            }
            countEntries(repo, tree);
            new DirCacheCheckout(repo, dirCache, tree).checkout();
            return;
        }
        int matched = 0;
        for (Planned e : entries) {
            Written w = written.get(e.path());
            if (w != null) {
                if (!w.id().equals(e.index().getObjectId()) || w.mode() != e.index().getFileMode()) {
                    throw new IOException(e.path() + " was written from another tree");
                }
                w.applyTo(e.index());
                matched++;
            }
        }
        if (matched != written.size()) {
            throw new IOException((written.size() - matched) + " files were written that the tree does not have");
        }
        if (matched == entries.size()) {
            commit(dirCache, entries);
            return;
        }
        Path root = repo.getWorkTree().toPath();
        // On this thread, in tree order: every directory.
        Set<String> dirs = new HashSet<>();
        for (Planned e : entries) {
            if (!e.dir().isEmpty() && dirs.add(e.dir())) {
                Files.createDirectories(root.resolve(e.dir()));
            }
        }
        writeFiles(repo, root, entries, written);
        // Symbolic links last: no write above could have gone through one.
        try (ObjectReader reader = repo.newObjectReader()) {
            for (Planned e : entries) {
                if (e.index().getFileMode() == FileMode.SYMLINK) {
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
            }
        }
        commit(dirCache, entries);
    }

    private static void commit(DirCache dirCache, List<Planned> entries) throws IOException {
        DirCacheBuilder builder = dirCache.builder();
        for (Planned e : entries) {
            builder.add(e.index());
        }
        builder.commit(); // sorts (refusing duplicates), writes the index and releases the lock
    }

    /**
     * Writes the regular files; a large tree on {@link #WRITERS} threads, this one included, each with
     * its own object reader (inflating and applying deltas is most of the work in the worker's
     * C1-only JVM, and the system calls run in parallel too).
     */
    private static void writeFiles(Repository repo, Path root, List<Planned> entries, Map<String, Written> written)
            throws IOException {
        int writers = entries.size() < PARALLEL_FROM ? 1 : WRITERS;
        int[] runs = directoryRuns(entries);
        AtomicInteger next = new AtomicInteger();
        Callable<Void> writer = () -> {
            try (ObjectReader reader = repo.newObjectReader()) { // one per thread: readers are not thread-safe
                for (int r = next.getAndIncrement(); r < runs.length - 1; r = next.getAndIncrement()) {
                    for (int i = runs[r]; i < runs[r + 1]; i++) {
                        Planned e = entries.get(i);
                        if (e.index().getFileMode() != FileMode.SYMLINK && !written.containsKey(e.path())) {
                            ObjectLoader blob = reader.open(e.index().getObjectId(), Constants.OBJ_BLOB);
                            write(root.resolve(e.path()), e.path(), e.index().getFileMode(), e.index().getObjectId(), blob)
                                    .applyTo(e.index());
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
    static int[] directoryRuns(List<Planned> entries) {
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
     * link, from {@code blob} (an {@link ObjectLoader} or the blob's bytes), execute bits for
     * {@link FileMode#EXECUTABLE_FILE}; returns what the index keeps of it.
     */
    static Written write(Path file, String path, FileMode mode, ObjectId id, Object blob) throws IOException {
        try (FileChannel out = FileChannel.open(file, CREATE_NEW)) {
            if (blob instanceof ObjectLoader loader && loader.isLarge()) {
                loader.copyTo(Channels.newOutputStream(out)); // streamed, never whole in memory
            } else {
                ByteBuffer bytes = ByteBuffer.wrap(blob instanceof ObjectLoader loader ? loader.getCachedBytes() : (byte[]) blob);
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
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return new Written(id, mode, attrs.size(), attrs.lastModifiedTime().toInstant());
    }

    /** A file as written: its blob and mode, and what the index keeps of its stat. */
    record Written(ObjectId id, FileMode mode, long length, Instant modified) {
        void applyTo(DirCacheEntry e) {
            e.setLength(length);
            e.setLastModified(modified);
        }
    }

    /** One entry of the tree: its index entry (mode and id; length and time come when it is written), path and directory. */
    record Planned(DirCacheEntry index, String path, String dir) {
    }

    /**
     * The tree's entries when it is plain (see the class comment), null when JGit must check it out.
     */
    private static List<Planned> plainEntries(Repository repo, RevTree tree) throws IOException {
        if (!plainConfig(repo)) {
            return null;
        }
        List<Planned> entries = new ArrayList<>();
        try (TreeWalk walk = new TreeWalk(repo)) {
            walk.addTree(tree);
            walk.setRecursive(true);
            while (walk.next()) {
                FileMode mode = walk.getFileMode(0);
                String path = walk.getPathString();
                if (!plainEntry(path, walk.getNameString(), mode)) {
                    return null;
                }
                if (entries.size() == MAX_ENTRIES) {
                    throw tooMany();
                }
                DirCacheEntry e = new DirCacheEntry(path);
                e.setFileMode(mode);
                e.setObjectId(walk.getObjectId(0));
                entries.add(new Planned(e, path, path.substring(0, Math.max(0, path.lastIndexOf('/')))));
            }
        }
        return entries;
    }

    /** Before JGit's checkout, which would build the index of a tree of any size: its entries, up to the limit. */
    private static void countEntries(Repository repo, RevTree tree) throws IOException {
        try (TreeWalk walk = new TreeWalk(repo)) {
            walk.addTree(tree);
            walk.setRecursive(true);
            for (int n = 0; walk.next(); n++) {
                if (n == MAX_ENTRIES) {
                    throw tooMany();
                }
            }
        }
    }

    private static IOException tooMany() {
        return new IOException("the tree has more than " + MAX_ENTRIES + " files, more than this worker checks out"
                + " (the limit grows with its heap, -Xmx: one file for every 512 bytes)");
    }

    /** Whether the repository's configuration lets trees be written plainly (see the class comment). */
    static boolean plainConfig(Repository repo) {
        StoredConfig config = repo.getConfig();
        WorkingTreeOptions options = config.get(WorkingTreeOptions.KEY);
        return options.getAutoCRLF() == AutoCRLF.FALSE && options.getSymLinks() != SymLinks.FALSE && options.isFileMode()
                && !config.getBoolean(ConfigConstants.CONFIG_CORE_SECTION, null, "ignorecase", false)
                && config.getString(ConfigConstants.CONFIG_CORE_SECTION, null, ConfigConstants.CONFIG_KEY_EOL) == null
                && config.getString(ConfigConstants.CONFIG_CORE_SECTION, null, ConfigConstants.CONFIG_KEY_ATTRIBUTESFILE) == null
                && !Files.exists(repo.getDirectory().toPath().resolve(Constants.INFO_ATTRIBUTES));
    }

    /**
     * Whether a non-tree entry keeps its tree plain: false for a submodule, a {@code .gitattributes}
     * file or a mode this class does not write (JGit's checkout takes such trees).
     *
     * @throws IOException when no checkout may write the path (JGit's check: {@code ..}, {@code .git}, ...)
     */
    static boolean plainEntry(String path, String name, FileMode mode) throws IOException {
        if (mode == FileMode.GITLINK || name.equals(Constants.DOT_GIT_ATTRIBUTES)) {
            return false;
        }
        checkPath(path);
        return mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE || mode == FileMode.SYMLINK;
    }

    /**
     * Refuses a path no checkout may write (a file's or a directory's): what JGit's checkout and its
     * index check ({@code ..}, a {@code .git} component, an absolute or empty name, ...).
     */
    static void checkPath(String path) throws IOException {
        try {
            SystemReader.getInstance().checkPath(path);
        } catch (CorruptObjectException e) {
            throw new IOException("the tree has a path that cannot be checked out: " + path, e);
        }
    }

    /** What the index keeps of the file as written, so that git and JGit see it unchanged without reading it. */
    private static void stat(Path file, DirCacheEntry d) throws IOException {
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
