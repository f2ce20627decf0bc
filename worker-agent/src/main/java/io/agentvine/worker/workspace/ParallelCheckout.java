package io.agentvine.worker.workspace;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheCheckout;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Writes a fresh clone's working tree on several threads, then its index — what JGit's own checkout
 * does one file at a time, which made a clone of a few thousand files 1.6× slower than the git CLI.
 * Only for plain trees: with a {@code .gitattributes} anywhere (line endings, filters such as LFS),
 * a submodule, or {@code core.autocrlf} set, JGit's {@link DirCacheCheckout} does the work, so a
 * clone never looks different from what JGit (and git) would check out.
 */
final class ParallelCheckout {
    static final int THREADS = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private record Entry(String path, ObjectId id, FileMode mode) {
    }

    private ParallelCheckout() {
    }

    /** Checks out {@code tree} into the (empty) working tree of {@code repo} and writes its index. */
    static void checkout(Repository repo, RevTree tree) throws IOException {
        List<Entry> entries = new ArrayList<>();
        String autocrlf = repo.getConfig().getString(ConfigConstants.CONFIG_CORE_SECTION, null, ConfigConstants.CONFIG_KEY_AUTOCRLF);
        boolean plain = autocrlf == null || autocrlf.equalsIgnoreCase("false");
        try (TreeWalk walk = new TreeWalk(repo)) {
            walk.addTree(tree);
            walk.setRecursive(true);
            while (plain && walk.next()) {
                FileMode mode = walk.getFileMode(0);
                String path = walk.getPathString();
                if (mode == FileMode.GITLINK || path.equals(".gitattributes") || path.endsWith("/.gitattributes")) {
                    plain = false;
                }
                entries.add(new Entry(path, walk.getObjectId(0), mode));
            }
        }
        if (!plain) {
            DirCache dc = repo.lockDirCache();
            new DirCacheCheckout(repo, dc, tree).checkout();
            return;
        }
        Path root = repo.getWorkTree().toPath();
        writeFiles(repo, root, entries);
        DirCache dc = repo.lockDirCache();
        try {
            DirCacheBuilder builder = dc.builder();
            for (Entry e : entries) {
                DirCacheEntry d = new DirCacheEntry(e.path);
                d.setFileMode(e.mode);
                d.setObjectId(e.id);
                Path file = root.resolve(e.path);
                if (e.mode != FileMode.SYMLINK) {
                    d.setLength(Files.size(file));
                    d.setLastModified(Files.getLastModifiedTime(file).toInstant());
                }
                builder.add(d);
            }
            builder.finish();
            dc.write();
            dc.commit();
        } finally {
            dc.unlock();
        }
    }

    private static void writeFiles(Repository repo, Path root, List<Entry> entries) throws IOException {
        // Directories first, on one thread: the writers then only create files.
        for (Entry e : entries) {
            Path parent = root.resolve(e.path).getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                Files.createDirectories(parent);
            }
        }
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "checkout-writer");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                writers.add(pool.submit(() -> {
                    try (ObjectReader reader = repo.newObjectReader()) { // one per thread: readers are not thread-safe
                        for (int i = next.getAndIncrement(); i < entries.size(); i = next.getAndIncrement()) {
                            write(reader, root, entries.get(i));
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return null;
                }));
            }
            for (Future<?> w : writers) {
                w.get();
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("checkout interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void write(ObjectReader reader, Path root, Entry e) throws IOException {
        Path file = root.resolve(e.path);
        if (e.mode == FileMode.SYMLINK) {
            String target = new String(reader.open(e.id).getBytes(), java.nio.charset.StandardCharsets.UTF_8);
            Files.createSymbolicLink(file, Path.of(target));
            return;
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            reader.open(e.id).copyTo(out);
        }
        if (e.mode == FileMode.EXECUTABLE_FILE) {
            Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(file));
            perms.addAll(Set.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE));
            Files.setPosixFilePermissions(file, perms);
        }
    }
}
