package io.agentvine.worker.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the cache's mirrors under its size cap: when they take more than {@code maxBytes} together,
 * the least recently used ones (by the time {@link RepositoryCache} stamps on a mirror after each
 * fetch) are deleted until they fit, skipping every mirror a task of this or another worker uses
 * ({@link MirrorLocks#ifUnused}). Leftovers of deletions that did not finish go too.
 */
final class MirrorEviction {
    private static final Logger log = LoggerFactory.getLogger(MirrorEviction.class);
    private static final String SUFFIX = ".git";

    private final Path root;
    private final long maxBytes;
    private final MirrorLocks locks;

    MirrorEviction(Path root, long maxBytes, MirrorLocks locks) {
        this.root = root;
        this.maxBytes = maxBytes;
        this.locks = locks;
    }

    private record Mirror(String key, Path dir, long bytes, FileTime lastUsed) {
    }

    /** One pass: deletes least recently used mirrors not in use until the rest fit (or none is left to delete). */
    void run() throws IOException {
        List<Mirror> mirrors = new ArrayList<>();
        long total = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.contains(SUFFIX + ".deleted-")) {
                    Directories.delete(p); // an interrupted deletion
                } else if (name.endsWith(SUFFIX) && Files.isDirectory(p)) {
                    Mirror m = new Mirror(name.substring(0, name.length() - SUFFIX.length()), p, bytes(p),
                            Files.getLastModifiedTime(p));
                    mirrors.add(m);
                    total += m.bytes();
                }
            }
        }
        if (total <= maxBytes) {
            return;
        }
        mirrors.sort(Comparator.comparing(Mirror::lastUsed));
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

    /** Bytes of the regular files under {@code dir}; files that vanish meanwhile count 0. */
    static long bytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.mapToLong(f -> {
                try {
                    BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                    return a.isRegularFile() ? a.size() : 0;
                } catch (IOException gone) {
                    return 0;
                }
            }).sum();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
