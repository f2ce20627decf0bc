package io.agentvine.worker.workspace;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the cache's mirrors under its size cap: when they take more than {@code maxBytes} together
 * (their kept workspaces included, {@link WorkspacePool}), first the kept workspaces go, least recently
 * used mirror first, then the least recently used mirrors (by the time {@link RepositoryCache} stamps on a mirror after each
 * fetch) are deleted until they fit, skipping every mirror a task of this or another worker uses
 * ({@link MirrorLocks#ifUnused}). Leftovers of deletions that did not finish go too.
 */
final class MirrorEviction {
    private static final Logger log = LoggerFactory.getLogger(MirrorEviction.class);
    private static final String SUFFIX = ".git";

    private final Path root;
    private final long maxBytes;
    private final MirrorLocks locks;
    private final WorkspacePool pool;

    MirrorEviction(Path root, long maxBytes, MirrorLocks locks, WorkspacePool pool) {
        this.root = root;
        this.maxBytes = maxBytes;
        this.locks = locks;
        this.pool = pool;
    }

    private record Mirror(String key, Path dir, long bytes, FileTime lastUsed) {
    }

    /**
     * One pass: deletes least recently used mirrors not in use until the rest fit (or none is left to delete). One pass
     * at a time in this JVM; a mirror another JVM deletes while this one measures it is left out.
     */
    synchronized void run() throws IOException {
        List<Mirror> mirrors = new ArrayList<>();
        long total = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.contains(SUFFIX + ".deleted-")) {
                    Directories.delete(p); // an interrupted deletion
                } else if (name.endsWith(SUFFIX) && Files.isDirectory(p)) {
                    Mirror m;
                    try {
                        m = new Mirror(name.substring(0, name.length() - SUFFIX.length()), p, bytes(p) + pool.bytes(p),
                                Files.getLastModifiedTime(p));
                    } catch (NoSuchFileException gone) {
                        continue; // deleted meanwhile (moved aside by another worker's eviction or a drop)
                    }
                    mirrors.add(m);
                    total += m.bytes();
                }
            }
        }
        if (total <= maxBytes) {
            return;
        }
        mirrors.sort(Comparator.comparing(Mirror::lastUsed));
        for (Mirror m : mirrors) { // kept workspaces first: they are only a head start
            for (WorkspacePool.Entry e : pool.entries(m.dir())) {
                if (total <= maxBytes) {
                    return;
                }
                if (e.clean()) {
                    WorkspacePool.delete(e.dir());
                    total -= e.bytesOrMillis();
                    log.info("evicted a kept workspace of {} ({} bytes): the cache holds {} of {} bytes", m.dir(), e.bytesOrMillis(),
                            total, maxBytes);
                }
            }
        }
        for (Mirror m : mirrors) {
            if (total <= maxBytes) {
                break;
            }
            boolean deleted = locks.ifUnused(m.key(), () -> {
                RepositoryCache.delete(m.dir());
                return null;
            });
            if (deleted) {
                total -= m.bytes();
                log.info("evicted the mirror {} ({} bytes, last used {}): the cache holds {} of {} bytes", m.dir(), m.bytes(),
                        m.lastUsed(), total, maxBytes);
            }
        }
        if (total > maxBytes) {
            log.info("the repository cache holds {} bytes, over its {}: the rest is in use", total, maxBytes);
        }
    }

    /** Bytes of the regular files under {@code dir} (its kept workspaces aside); files that vanish meanwhile count 0. */
    static long bytes(Path dir) throws IOException {
        long[] total = new long[1];
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                return d.getParent() != null && d.getParent().equals(dir) && d.getFileName().toString().equals(WorkspacePool.DIR)
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                total[0] += attrs.isRegularFile() ? attrs.size() : 0;
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // deleted meanwhile
                }
                throw e;
            }
        });
        return total[0];
    }
}
