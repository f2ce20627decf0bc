package io.agentvine.queue.testing;

import io.agentvine.queue.redis.RedisEndpoint;
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
}
