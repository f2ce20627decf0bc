package io.agentvine.cli.up;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The runnable jars of the controller and the worker, built with the checkout's Maven Wrapper when one
 * is missing or older than any source it is made of (the poms and the {@code src/main} of its modules).
 */
public final class FleetJars {
    static final List<String> MODULES = List.of("controller", "worker-agent");
    private static final List<String> SOURCES = List.of("pom.xml", "shared-model/pom.xml", "work-queue/pom.xml", "controller/pom.xml",
            "worker-agent/pom.xml", "shared-model/src/main", "work-queue/src/main", "controller/src/main", "worker-agent/src/main");

    private final Path root;
    private final FleetOutput out;

    public FleetJars(Path root, FleetOutput out) {
        this.root = root;
        this.out = out;
    }

    /** The controller's and the worker's jar, built first when needed ({@code rebuild}: always; {@code build} false: never). */
    public List<Path> ensure(boolean rebuild, boolean build, Path buildLog) {
        if (build && (rebuild || MODULES.stream().anyMatch(this::stale))) {
            out.say("building the controller and the worker (a minute or two the first time; log: " + out.rel(buildLog) + ")...");
            run(buildLog);
        }
        return MODULES.stream().map(m -> jar(m).orElseThrow(() -> new FleetStartException("no runnable jar in " + m
                + "/target (" + m + "-*-all.jar)" + (build ? " after the build" : ": build it with ./mvnw -B package -Dmaven.test.skip=true -pl "
                + String.join(",", MODULES) + " -am")))).toList();
    }

    /** The newest {@code <module>/target/<module>-*-all.jar}. */
    Optional<Path> jar(String module) {
        Path target = root.resolve(module).resolve("target");
        if (!Files.isDirectory(target)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().matches(Pattern.quote(module) + "-.*-all\\.jar"))
                    .max(Comparator.comparing(FleetJars::modified));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The module's jar is missing, or a source is newer than it. */
    boolean stale(String module) {
        Optional<Path> jar = jar(module);
        if (jar.isEmpty()) {
            return true;
        }
        FileTime built = modified(jar.get());
        for (String source : SOURCES) {
            Path p = root.resolve(source);
            if (!Files.exists(p)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(p)) {
                if (files.filter(Files::isRegularFile).anyMatch(f -> modified(f).compareTo(built) > 0)) {
                    return true;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return false;
    }

    private void run(Path buildLog) {
        String wrapper = File.separatorChar == '\\' ? "mvnw.cmd" : "./mvnw";
        // The tests are not even compiled (a third of a warm build), and the modules build two at a time.
        ProcessBuilder pb = new ProcessBuilder(wrapper, "-B", "-q", "-T", "1C", "package", "-Dmaven.test.skip=true", "-pl",
                String.join(",", MODULES), "-am")
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(buildLog.toFile());
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            if (p.waitFor() != 0) {
                throw new FleetStartException("the build failed", buildLog);
            }
        } catch (IOException e) {
            throw new FleetStartException("cannot run " + wrapper + " in " + root + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FleetStartException("interrupted during the build");
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
