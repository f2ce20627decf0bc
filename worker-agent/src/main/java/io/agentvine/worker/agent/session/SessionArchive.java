package io.agentvine.worker.agent.session;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private SessionArchive() {
    }

    /**
     * @param redact replaces secrets in a file's text (session files are JSON lines)
     * @return the archive, or empty when it would be longer than {@code maxChars}
     */
    public static Optional<String> of(Path directory, List<Path> files, UnaryOperator<String> redact, int maxChars) throws IOException {
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

    /** Writes the archive's files under {@code directory}; an entry that would land outside it is refused. */
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
                Files.createDirectories(target.getParent());
                Files.write(target, zip.readAllBytes());
                written++;
            }
        }
        return written;
    }
}
