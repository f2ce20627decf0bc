package io.agentvine.worker.workspace;

import java.io.File;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** Deletes directory trees that an agent (and git) had free rein over. */
final class Directories {
    private Directories() {
    }

    /**
     * Deletes {@code root} and everything below it, making read-only files and directories writable
     * on the way (git's pack files are read-only; an agent may have left worse). Symbolic links are
     * deleted, never followed, so nothing outside the tree is touched. Goes on past failures.
     *
     * @return the first failure, or null when the tree is gone
     */
    static IOException delete(Path root) {
        IOException[] first = new IOException[1];
        delete(root, first);
        return first[0];
    }

    private static void delete(Path p, IOException[] first) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isDirectory()) {
                if (!Files.isWritable(p) || !Files.isReadable(p) || !Files.isExecutable(p)) {
                    File f = p.toFile();
                    f.setReadable(true, true);
                    f.setWritable(true, true);
                    f.setExecutable(true, true);
                }
                try (DirectoryStream<Path> children = Files.newDirectoryStream(p)) {
                    for (Path c : children) {
                        delete(c, first);
                    }
                }
            }
            try {
                Files.delete(p);
            } catch (AccessDeniedException e) {
                // Windows refuses to delete a read-only file; POSIX only asks for a writable directory.
                if (a.isSymbolicLink() || !p.toFile().setWritable(true, true)) {
                    throw e;
                }
                Files.delete(p);
            }
        } catch (NoSuchFileException gone) {
            // Deleted meanwhile, or never there: either way it is gone.
        } catch (IOException e) {
            if (first[0] == null) {
                first[0] = e;
            }
        }
    }
}
