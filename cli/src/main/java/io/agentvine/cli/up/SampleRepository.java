package io.agentvine.cli.up;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The sample repository the fleet's first tasks work on: a bare git repository in the data folder
 * ({@code sample-repo.git}: a README with a TODO, {@code greet.sh} and its tests {@code sh test.sh}),
 * made once with the git command line; and what the smoke run reads back from it.
 */
public final class SampleRepository {
    private static final Map<String, String> FILES = Map.of(
            "README.md", """
                    # Greeter

                    A tiny sample project for the AgentVine local fleet: `greet.sh` greets, `test.sh` checks it.

                    TODO: greet in more languages than English.
                    """,
            "greet.sh", """
                    #!/bin/sh
                    # Prints a greeting: sh greet.sh [name]
                    echo "Hello, ${1:-world}!"
                    """,
            "test.sh", """
                    #!/bin/sh
                    # The project's tests: sh test.sh
                    set -e
                    [ "$(sh greet.sh)" = "Hello, world!" ]
                    [ "$(sh greet.sh Ada)" = "Hello, Ada!" ]
                    echo "2 tests passed"
                    """);

    private final Path bare;

    public SampleRepository(Path bare) {
        this.bare = bare;
    }

    public Path path() {
        return bare;
    }

    public String url() {
        return "file://" + bare.toAbsolutePath();
    }

    /** Makes the repository unless it exists; true when it was made now. */
    public boolean createIfMissing() {
        if (Files.isDirectory(bare)) {
            return false;
        }
        Path src = null;
        Path tmp = bare.resolveSibling(bare.getFileName() + ".tmp");
        try {
            src = Files.createTempDirectory("agentvine-sample-");
            for (var f : FILES.entrySet()) {
                Files.writeString(src.resolve(f.getKey()), f.getValue());
            }
            src.resolve("greet.sh").toFile().setExecutable(true);
            src.resolve("test.sh").toFile().setExecutable(true);
            List<String> identity = List.of("-c", "user.name=AgentVine", "-c", "user.email=agentvine@localhost", "-c", "init.defaultBranch=main",
                    "-c", "commit.gpgsign=false");
            git(src, identity, "init", "-q");
            git(src, identity, "symbolic-ref", "HEAD", "refs/heads/main");
            git(src, identity, "add", "-A");
            git(src, identity, "commit", "-q", "-m", "Greeter: a sample project");
            delete(tmp);
            git(src, List.of(), "clone", "-q", "--bare", src.toString(), tmp.toString());
            Files.move(tmp, bare);
            return true;
        } catch (IOException | GitFailed e) {
            delete(tmp);
            throw new FleetStartException("could not create the sample repository " + bare + ": " + e.getMessage());
        } finally {
            delete(src);
        }
    }

    /** The commit {@code ref} names, or null when it names none. */
    public String commit(String ref) {
        try {
            return git(bare, List.of(), "rev-parse", "-q", "--verify", ref + "^{commit}");
        } catch (GitFailed e) {
            return null;
        }
    }

    /** The files changed between two commits, space-separated. */
    public String changedFiles(String from, String to) {
        return git(bare, List.of(), "diff", "--name-only", from, to).replace('\n', ' ');
    }

    /** Whether git runs here. */
    public static boolean gitAvailable() {
        try {
            git(Path.of("."), List.of(), "--version");
            return true;
        } catch (GitFailed e) {
            return false;
        }
    }

    private static String git(Path dir, List<String> config, String... args) {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(config);
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new GitFailed("git " + String.join(" ", args) + ": " + output);
            }
            return output;
        } catch (IOException e) {
            throw new GitFailed("cannot run git: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitFailed("interrupted");
        }
    }

    private static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A git command failed. */
    static final class GitFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GitFailed(String message) {
            super(message);
        }
    }
}
