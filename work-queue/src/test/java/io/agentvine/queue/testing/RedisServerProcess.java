package io.agentvine.queue.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server process on a free loopback port, for tests: {@code redis-server} from PATH,
 * or else the real server binary shipped inside the embedded-redis artifact. Fault tests stop and
 * restart it; data survives a restart only when started with {@code appendonly}.
 */
public final class RedisServerProcess implements AutoCloseable {
    private static final String EMBEDDED_BINARY = "/redis-server-6.2.6-v5-linux-amd64";

    private final Path binary;
    private final Path dir;
    private final int port;
    private final List<String> extraArgs;
    private final String sentinelConfig;
    private Process process;

    private RedisServerProcess(Path binary, Path dir, int port, List<String> extraArgs, String sentinelConfig) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
        this.extraArgs = extraArgs;
        this.sentinelConfig = sentinelConfig;
    }

    /**
     * Starts a Sentinel ({@code redis-server <conf> --sentinel}) on a free port with {@code config} (its
     * {@code sentinel monitor …} lines; port, bind and dir are added). Sentinel rewrites its file, so it lives in
     * the process's own temp folder.
     */
    public static RedisServerProcess startSentinel(String config) {
        try {
            Path dir = Files.createTempDirectory("agentvine-sentinel-");
            RedisServerProcess server = new RedisServerProcess(binary(), dir, freePort(), List.of(), config);
            server.startProcess();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a server without persistence. */
    public static RedisServerProcess start() {
        return start(List.of());
    }

    /** Starts a server with extra config arguments, e.g. {@code --appendonly yes}. */
    public static RedisServerProcess start(List<String> extraArgs) {
        try {
            return start(binary(), extraArgs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the Redis 6.2 binary shipped by embedded-redis, whatever is on PATH (older-server tests). */
    public static RedisServerProcess startEmbedded() {
        try {
            return start(embeddedBinary(), List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RedisServerProcess start(Path binary, List<String> extraArgs) {
        try {
            Path dir = Files.createTempDirectory("agentvine-redis-");
            RedisServerProcess server = new RedisServerProcess(binary, dir, freePort(), List.copyOf(extraArgs), null);
            server.startProcess();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Kills the server at once (SIGKILL): what a crash or an OOM kill looks like to clients. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor(process);
            process = null;
        }
    }

    /** Starts it again on the same port and data folder. */
    public void restart() {
        kill();
        startProcess();
    }

    @Override
    public void close() {
        kill();
        deleteQuietly(dir);
    }

    /** Runs {@code call} on a short-lived connection of {@code client} to this server (admin commands in tests). */
    public <T> T call(io.lettuce.core.RedisClient client,
                      java.util.function.Function<io.lettuce.core.api.sync.RedisCommands<String, String>, T> call) {
        io.lettuce.core.RedisURI u = io.lettuce.core.RedisURI.create(uri());
        u.setTimeout(Duration.ofSeconds(5));
        try (io.lettuce.core.api.StatefulRedisConnection<String, String> c = client.connect(u)) {
            return call.apply(c.sync());
        }
    }

    /** Whether the process runs (not killed, not exited). */
    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    private void startProcess() {
        if (sentinelConfig != null) {
            startSentinelProcess();
            return;
        }
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--dir", dir.toString(), "--daemonize", "no",
                "--protected-mode", "no", "--loglevel", "warning", "--logfile", dir.resolve("redis.log").toString()));
        if (!extraArgs.contains("--appendonly")) {
            cmd.addAll(List.of("--appendonly", "no"));
        }
        cmd.addAll(extraArgs);
        launch(cmd);
    }

    private void startSentinelProcess() {
        Path conf = dir.resolve("sentinel.conf");
        try {
            Files.writeString(conf, "port " + port + "\nbind 127.0.0.1\nprotected-mode no\ndir " + dir + "\nloglevel warning\n"
                    + "logfile " + dir.resolve("redis.log") + "\n" + sentinelConfig + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        launch(List.of(binary.toString(), conf.toString(), "--sentinel"));
    }

    private void launch(List<String> cmd) {
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited at start: " + readLog());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(20);
            }
        }
        throw new IllegalStateException("redis-server did not listen on " + port + " within 10 s: " + readLog());
    }

    private String readLog() {
        try {
            return Files.readString(dir.resolve("redis.log")) + Files.readString(dir.resolve("stdout.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    static synchronized Path binary() throws IOException {
        for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(p, "redis-server");
            if (!p.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return embeddedBinary();
    }

    static synchronized Path embeddedBinary() throws IOException {
        Path extracted = Path.of(System.getProperty("java.io.tmpdir"), "agentvine-redis-server-6.2.6");
        if (!Files.isExecutable(extracted)) {
            try (InputStream in = RedisServerProcess.class.getResourceAsStream(EMBEDDED_BINARY)) {
                if (in == null) {
                    throw new IllegalStateException("no redis-server on PATH and no embedded-redis binary on the classpath");
                }
                Path tmp = Files.createTempFile("redis-server", ".tmp");
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                tmp.toFile().setExecutable(true);
                Files.move(tmp, extracted, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return extracted;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void waitFor(Process p) {
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
