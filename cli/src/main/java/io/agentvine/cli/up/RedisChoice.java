package io.agentvine.cli.up;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Which Redis the fleet uses: the one at {@code REDIS_URL} when it answers a PING (left running on
 * stop); otherwise a redis-server started here on 127.0.0.1 from the first free port at or after the
 * configured one, append-only, its data in {@code data/redis}.
 */
public final class RedisChoice {
    /** The Redis chosen: its URL, the process when started here (else null), and a note for the summary. */
    public record Chosen(String url, Process process, String note) {
    }

    private final FleetSettings settings;
    private final RedisBinary binary;
    private final ProcessLauncher launcher;
    private final FleetOutput out;
    private final Clock clock;

    public RedisChoice(FleetSettings settings, RedisBinary binary, ProcessLauncher launcher, FleetOutput out, Clock clock) {
        this.settings = settings;
        this.binary = binary;
        this.launcher = launcher;
        this.out = out;
        this.clock = clock;
    }

    /** Chooses (and if need be starts) Redis; {@code started} is told of a process at once, before it answers. */
    public Chosen choose(java.util.function.Consumer<Process> started) throws InterruptedException {
        String given = settings.env("REDIS_URL");
        if (given != null) {
            if (RedisPing.ping(given)) {
                out.say("using the Redis at REDIS_URL");
                return new Chosen(given, null, "(found at REDIS_URL; left running on stop)");
            }
            out.warn("REDIS_URL does not answer a PING: starting a local Redis instead");
        }
        Path server = binary.find();
        int port = settings.redisPort();
        while (Ports.busy(port)) {
            port++;
            if (port > settings.redisPort() + 20) {
                throw new FleetStartException("no free port for Redis in " + settings.redisPort() + ".." + (settings.redisPort() + 20));
            }
        }
        if (port != settings.redisPort()) {
            out.warn("port " + settings.redisPort() + " is in use: Redis gets port " + port);
        }
        Path dir = settings.data().resolve("redis");
        Path log = settings.logs().resolve("redis.log");
        out.say("starting Redis on 127.0.0.1:" + port + " (" + out.rel(server) + "; data in " + out.rel(dir) + ")...");
        Process p = launcher.start(List.of(server.toString(), "--bind", "127.0.0.1", "--port", Integer.toString(port), "--dir", dir.toString(),
                "--appendonly", "yes", "--daemonize", "no", "--protected-mode", "yes"), dir, Map.of(), log);
        started.accept(p);
        String url = "redis://127.0.0.1:" + port;
        Instant deadline = clock.instant().plus(Duration.ofSeconds(10));
        while (!RedisPing.ping(url)) {
            if (!p.isAlive() || clock.instant().isAfter(deadline)) {
                throw new FleetStartException("Redis did not start", log);
            }
            Thread.sleep(100);
        }
        return new Chosen(url, p, "(started here; data in " + out.rel(dir) + ")");
    }
}
