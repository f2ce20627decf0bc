package io.agentvine.cli.up;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code vine up} as a person runs it: its own JVM ({@code VineMain} from this module's classes), the
 * checkout's built controller and worker jars ({@code --no-build}), a data folder and free loopback
 * ports of the test's, and no {@code REDIS_URL} — so it starts its own Redis. Its stdout and stderr go
 * to a file the test reads.
 */
final class VineUpProcess implements AutoCloseable {
    final Process process;
    final Path output;

    private VineUpProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static VineUpProcess start(Path data, int port, String types, String... more) {
        Path root = UpCommand.checkout();
        for (String module : FleetJars.MODULES) {
            if (new FleetJars(root, null).jar(module).isEmpty()) {
                throw new AssertionError("no " + module + "/target/" + module + "-*-all.jar: the vine up tests run the built jars "
                        + "(./mvnw -B verify builds them first; alone: ./mvnw -B package -DskipTests -pl controller,worker-agent -am)");
            }
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), "io.agentvine.cli.VineMain", "up", "--no-build", "--data", data.toString(),
                "--port", Integer.toString(port), "--redis-port", Integer.toString(freePort()), "--types", types, "--ready-timeout", "300"));
        cmd.addAll(List.of(more));
        try {
            Files.createDirectories(data);
            Path output = Files.createTempFile(data.getParent(), "vine-up-", ".out");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile());
            pb.environment().remove("REDIS_URL");
            pb.environment().put("AGENTVINE_SHUTDOWN_GRACE", "5s");
            Process p = pb.start();
            p.getOutputStream().close();
            return new VineUpProcess(p, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the fleet printed that it is ready (fails early, with its output, if it exits first). */
    VineUpProcess awaitReady() {
        await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!process.isAlive() && !output().contains("ready in")) {
                throw new AssertionError("vine up exited with " + process.exitValue() + " before it was ready:\n" + output());
            }
            return output().contains("ready in");
        });
        return this;
    }

    /** Waits until the fleet printed its next steps, which come after "ready in" (their last line: how to stop it). */
    VineUpProcess awaitNextSteps() {
        awaitReady();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> output().contains("Ctrl-C stops the fleet"));
        return this;
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("vine up did not end within " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(150, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
