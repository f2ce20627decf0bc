package io.agentvine.queue.testing;

import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A real Sentinel setup on loopback for tests: a master, two replicas and three Sentinels (quorum 2,
 * down-after 1 s), each a redis-server process on a free port. {@link #close()} stops them all.
 */
public final class TestRedisSentinel implements AutoCloseable {
    public static final String MASTER_NAME = "mymaster";
    private static final Duration READY = Duration.ofSeconds(30);
    private final List<RedisServerProcess> servers = new ArrayList<>();
    private final List<RedisServerProcess> sentinels = new ArrayList<>();
    private final RedisClient admin = RedisClient.create();

    private TestRedisSentinel() {
    }

    public static TestRedisSentinel start() {
        TestRedisSentinel s = new TestRedisSentinel();
        try {
            s.form();
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void form() {
        RedisServerProcess master = RedisServerProcess.start(List.of("--repl-diskless-sync-delay", "0"));
        servers.add(master);
        for (int i = 0; i < 2; i++) {
            servers.add(RedisServerProcess.start(List.of("--repl-diskless-sync-delay", "0", "--replicaof", "127.0.0.1", Integer.toString(master.port()))));
        }
        String conf = "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " 2\n"
                + "sentinel down-after-milliseconds " + MASTER_NAME + " 1000\n"
                + "sentinel failover-timeout " + MASTER_NAME + " 5000\n"
                + "sentinel parallel-syncs " + MASTER_NAME + " 2";
        for (int i = 0; i < 3; i++) {
            sentinels.add(RedisServerProcess.startSentinel(conf));
        }
        awaitHealthy();
    }

    /** Waits until the master has both replicas in sync and every Sentinel knows the replicas and the other Sentinels. */
    public void awaitHealthy() {
        await().atMost(READY).pollInterval(Duration.ofMillis(100)).until(() -> {
            try {
                RedisServerProcess m = master();
                String info = run(m, r -> r.info("replication"));
                return info.contains("role:master") && info.contains("connected_slaves:2")
                        && sentinels.stream().filter(RedisServerProcess::isAlive).allMatch(s -> sentinel(s, c ->
                        c.replicas(MASTER_NAME).stream().filter(r -> !r.get("flags").contains("down")).count() == 2
                                && "2".equals(c.master(MASTER_NAME).get("num-other-sentinels"))));
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    /** The URL the queue connects with. */
    public String url() {
        return "redis-sentinel://" + String.join(",", sentinels.stream().map(s -> "127.0.0.1:" + s.port()).toList())
                + "/0#" + MASTER_NAME;
    }

    /** The server the Sentinels name as master now. */
    public RedisServerProcess master() {
        for (RedisServerProcess s : sentinels) {
            if (!s.isAlive()) {
                continue;
            }
            SocketAddress a = sentinel(s, c -> c.getMasterAddrByName(MASTER_NAME));
            int port = ((java.net.InetSocketAddress) a).getPort();
            return servers.stream().filter(x -> x.port() == port).findFirst().orElseThrow();
        }
        throw new IllegalStateException("no Sentinel runs");
    }

    public List<RedisServerProcess> sentinels() {
        return List.copyOf(sentinels);
    }

    public <T> T run(RedisServerProcess node, Function<RedisCommands<String, String>, T> call) {
        return node.call(admin, call);
    }

    public <T> T sentinel(RedisServerProcess sentinel, Function<RedisSentinelCommands<String, String>, T> call) {
        RedisURI uri = RedisURI.create(sentinel.uri());
        uri.setTimeout(Duration.ofSeconds(5));
        try (StatefulRedisSentinelConnection<String, String> c = admin.connectSentinel(uri)) {
            return call.apply(c.sync());
        }
    }

    @Override
    public void close() {
        sentinels.forEach(RedisServerProcess::close);
        servers.forEach(RedisServerProcess::close);
        admin.shutdown();
    }
}
