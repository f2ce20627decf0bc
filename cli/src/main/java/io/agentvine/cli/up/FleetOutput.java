package io.agentvine.cli.up;

import io.agentvine.cli.Io;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code vine up} tells its user: progress on stdout, problems on stderr (prefixed {@code vine up:}),
 * paths shown relative to the checkout, the last lines of a log after a failure.
 */
public final class FleetOutput {
    private final Io io;
    private final Path root;

    public FleetOutput(Io io, Path root) {
        this.io = io;
        this.root = root;
    }

    public void say(String line) {
        synchronized (io.out()) {
            io.out().println(line);
            io.out().flush();
        }
    }

    public void warn(String line) {
        synchronized (io.err()) {
            io.err().println("vine up: " + line);
            io.err().flush();
        }
    }

    /** {@code path} relative to the checkout when it lies inside it, else as it is. */
    public String rel(Path path) {
        Path p = path.toAbsolutePath().normalize();
        return p.startsWith(root) && !p.equals(root) ? root.relativize(p).toString() : p.toString();
    }

    /** The last {@code lines} lines of a log, indented, on stderr (nothing when it cannot be read). */
    public void tail(Path log, int lines) {
        if (log == null || !Files.isRegularFile(log)) {
            return;
        }
        try {
            List<String> all = Files.readAllLines(log);
            warn("last lines of " + rel(log) + ":");
            synchronized (io.err()) {
                all.subList(Math.max(0, all.size() - lines), all.size()).forEach(l -> io.err().println("    " + l));
                io.err().flush();
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            warn("cannot read " + rel(log) + ": " + e.getMessage());
        }
    }
}
