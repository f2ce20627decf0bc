package io.agentvine.queue.testing;

import io.agentvine.queue.redis.RedisEndpoint;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;

/**
 * The Redis topologies the queue's contract suites run against, each a real server set started once per test
 * JVM on loopback (stopped by a shutdown hook, like {@link TestRedis}): a single server, a master with two
 * replicas behind three Sentinels, and a 3-master / 3-replica Cluster. Tests that break a topology (failovers)
 * start their own instead.
 */
public final class TestTopologies {
    /** Which topology. */
    public enum Kind {
        STANDALONE, SENTINEL, CLUSTER
    }

    private static String sentinelUrl;
    private static String clusterUrl;

    private TestTopologies() {
    }

    public static synchronized String url(Kind kind) {
        return switch (kind) {
            case STANDALONE -> TestRedis.uri();
            case SENTINEL -> {
                if (sentinelUrl == null) {
                    TestRedisSentinel s = TestRedisSentinel.start();
                    Runtime.getRuntime().addShutdownHook(new Thread(s::close, "test-sentinel-stop"));
                    sentinelUrl = s.url();
                }
                yield sentinelUrl;
            }
            case CLUSTER -> {
                if (clusterUrl == null) {
                    TestRedisCluster c = TestRedisCluster.start();
                    Runtime.getRuntime().addShutdownHook(new Thread(c::close, "test-cluster-stop"));
                    clusterUrl = c.url();
                }
                yield clusterUrl;
            }
        };
    }

    /** A new endpoint (its own client) on the shared server set of {@code kind}; close it after use. */
    public static RedisEndpoint endpoint(Kind kind) {
        return endpoint(url(kind));
    }

    public static RedisEndpoint endpoint(String url) {
        return RedisEndpoint.create(url, RedisEndpoint.Options.DEFAULT.withCommandTimeout(Duration.ofSeconds(30)));
    }

    /**
     * How many client connections of the masters of {@code kind} run {@code command} now (e.g. {@code bzpopmin}: the
     * claimers blocked in a wait), summed over a Cluster's masters.
     */
    public static long clientsRunning(Kind kind, String command) {
        String marker = "cmd=" + command;
        if (kind == Kind.CLUSTER) {
            RedisClusterClient c = RedisClusterClient.create(url(kind).replace("redis-cluster://", "redis://"));
            try (StatefulRedisClusterConnection<String, String> conn = c.connect()) {
                long n = 0;
                for (RedisClusterNode node : conn.getPartitions()) {
                    if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                        n += conn.getConnection(node.getNodeId()).sync().clientList().lines().filter(l -> l.contains(marker)).count();
                    }
                }
                return n;
            } finally {
                c.shutdown();
            }
        }
        RedisClient c = RedisClient.create(url(kind));
        try (StatefulRedisConnection<String, String> conn = c.connect()) {
            return conn.sync().clientList().lines().filter(l -> l.contains(marker)).count();
        } finally {
            c.shutdown();
        }
    }
}
