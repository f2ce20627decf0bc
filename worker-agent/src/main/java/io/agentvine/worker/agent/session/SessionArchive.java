package io.agentvine.worker.agent.session;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A session's files as one zip archive in base64 (what the controller keeps, {@code AgentSessionState}), with
 * the secrets the worker knows replaced in their text; and back, into a directory, never outside it.
 */
public final class SessionArchive {
    /** Zipped JSON lines shrink well; past this many bytes of files per character of the archive they cannot fit. */
    static final int MAX_RAW_PER_CHAR = 32;

    private SessionArchive() {
    }

    /** {@code path}, refused when it or a folder between {@code root} and it is a symbolic link (the root itself may be). */
    private static Path withoutLinks(Path root, Path path) throws IOException {
        Path base = root.toAbsolutePath().normalize();
        Path target = path.toAbsolutePath().normalize();
        if (!target.startsWith(base)) {
            throw new IOException(path + " is outside " + root);
        }
        Path at = base;
        for (Path name : base.relativize(target)) {
            at = at.resolve(name);
            if (Files.isSymbolicLink(at)) {
                throw new IOException("session path " + base.relativize(at) + " is a symbolic link; not followed");
            }
        }
        return target;
    }

    /**
     * Only regular files reached without a symbolic link are read (an agent could link its session folder to
     * {@code /proc/self/environ} or another file of the worker's), and none is read at all when their sizes add
     * up to more than {@link #MAX_RAW_PER_CHAR} times {@code maxChars} (a transcript that large cannot fit).
     *
     * @param redact replaces secrets in a file's text (session files are JSON lines)
     * @return the archive, or empty when it would be longer than {@code maxChars}
     */
    public static Optional<String> of(Path directory, List<Path> files, UnaryOperator<String> redact, int maxChars) throws IOException {
        long raw = 0;
        for (Path f : files) {
            Path p = withoutLinks(directory, directory.resolve(f));
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("session file " + f + " is not a regular file");
            }
            raw += Files.size(p);
        }
        if (raw > (long) maxChars * MAX_RAW_PER_CHAR) {
            return Optional.empty();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            zip.setLevel(9);
            for (Path f : files) {
                zip.putNextEntry(new ZipEntry(f.toString().replace('\\', '/')));
                zip.write(redact.apply(Files.readString(directory.resolve(f), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
                if (bytes.size() / 3 * 4 > maxChars) {
                    return Optional.empty();
                }
            }
        }
        String archive = Base64.getEncoder().encodeToString(bytes.toByteArray());
        return archive.length() > maxChars ? Optional.empty() : Optional.of(archive);
    }

    /**
     * Writes the archive's files under {@code directory}; an entry that would land outside it, by its name or through
     * a symbolic link on its way (the Codex sessions folder is shared by every task), is refused.
     */
    public static int restore(String archive, Path directory) throws IOException {
        Path root = directory.toAbsolutePath().normalize();
        int written = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(archive)),
                StandardCharsets.UTF_8)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                Path target = root.resolve(e.getName()).normalize();
                if (!target.startsWith(root) || e.isDirectory()) {
                    if (e.isDirectory()) {
                        continue;
                    }
                    throw new IOException("session archive entry '" + e.getName() + "' would land outside " + root);
                }
                withoutLinks(root, target);
                Files.createDirectories(target.getParent());
                Files.write(target, zip.readAllBytes(), LinkOption.NOFOLLOW_LINKS, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                written++;
            }
        }
        return written;
    }
}
