package io.agentvine.cli.up;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Finds a {@code redis-server} to run: the one on {@code PATH}, else the real server binary shipped
 * inside the embedded-redis artifact (a test dependency of the build, so in the local Maven repository
 * once the build has run; fetched with the Maven Wrapper otherwise), extracted once to {@code data/bin/}.
 */
public final class RedisBinary {
    private final Path root;
    private final Path data;
    private final Map<String, String> env;
    private final FleetOutput out;

    public RedisBinary(Path root, Path data, Map<String, String> env, FleetOutput out) {
        this.root = root;
        this.data = data;
        this.env = env;
        this.out = out;
    }

    /** A redis-server that runs here, or a {@link FleetStartException} saying why there is none. */
    public Path find() {
        Path binary = onPath("redis-server").orElseGet(this::embedded);
        if (!runs(binary)) {
            throw new FleetStartException(out.rel(binary) + " does not run here (the embedded binary needs libssl3); "
                    + "install redis-server or set REDIS_URL");
        }
        return binary;
    }

    /** The first executable {@code name} on {@code PATH}. */
    public static Optional<Path> onPath(String name, Map<String, String> env) {
        for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = dir.isEmpty() ? null : Path.of(dir, name);
            if (candidate != null && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private Optional<Path> onPath(String name) {
        return onPath(name, env);
    }

    private Path embedded() {
        Path bin = data.resolve("bin").resolve("redis-server");
        if (Files.isExecutable(bin)) {
            return bin;
        }
        String platform = platform();
        String version = embeddedRedisVersion();
        Path jar = mavenRepository().resolve("com/github/codemonstur/embedded-redis/" + version + "/embedded-redis-" + version + ".jar");
        if (!Files.isRegularFile(jar)) {
            out.say("fetching embedded-redis " + version + " (it carries a redis-server binary)...");
            fetch(version);
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.stream().filter(e -> e.getName().matches("redis-server-.*-" + Pattern.quote(platform)))
                    .findFirst().orElseThrow(() -> new FleetStartException(jar + " has no redis-server for " + platform
                            + ": install Redis or set REDIS_URL"));
            Files.createDirectories(bin.getParent());
            Path tmp = bin.resolveSibling("redis-server.tmp");
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            if (!tmp.toFile().setExecutable(true)) {
                throw new FleetStartException("cannot make " + tmp + " executable");
            }
            Files.move(tmp, bin, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return bin;
        } catch (IOException e) {
            throw new FleetStartException("cannot extract redis-server from " + jar + ": " + e.getMessage());
        }
    }

    private static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String o = os.contains("linux") ? "linux" : os.contains("mac") ? "darwin" : null;
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "amd64" : arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : null;
        if (o == null || a == null) {
            throw new FleetStartException("no redis-server on PATH and no embedded binary for " + os + "-" + arch
                    + ": install Redis or set REDIS_URL");
        }
        return o + "-" + a;
    }

    private String embeddedRedisVersion() {
        try {
            Matcher m = Pattern.compile("<embedded-redis.version>([^<]+)</embedded-redis.version>").matcher(Files.readString(root.resolve("pom.xml")));
            if (m.find()) {
                return m.group(1).trim();
            }
        } catch (IOException e) {
            throw new FleetStartException("cannot read " + root.resolve("pom.xml") + ": " + e.getMessage());
        }
        throw new FleetStartException("pom.xml names no embedded-redis.version");
    }

    /** MAVEN_REPO_LOCAL, else -Dmaven.repo.local in MAVEN_OPTS, else ~/.m2/repository. */
    private Path mavenRepository() {
        String explicit = env.get("MAVEN_REPO_LOCAL");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        Matcher m = Pattern.compile("-Dmaven\\.repo\\.local=(\\S+)").matcher(env.getOrDefault("MAVEN_OPTS", ""));
        if (m.find()) {
            return Path.of(m.group(1));
        }
        return Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".m2", "repository");
    }

    private void fetch(String version) {
        Path log = data.resolve("logs").resolve("build.log");
        try {
            Process p = new ProcessBuilder("./mvnw", "-B", "-q", "dependency:get", "-Dartifact=com.github.codemonstur:embedded-redis:" + version,
                    "-Dtransitive=false").directory(root.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            p.getOutputStream().close();
            if (p.waitFor() != 0) {
                throw new FleetStartException("could not download embedded-redis (see " + out.rel(log) + ")");
            }
        } catch (IOException e) {
            throw new FleetStartException("cannot run ./mvnw to fetch embedded-redis: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FleetStartException("interrupted while fetching embedded-redis");
        }
    }

    private static boolean runs(Path binary) {
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
