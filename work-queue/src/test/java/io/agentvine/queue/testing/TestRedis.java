package io.agentvine.queue.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.UUID;

/**
 * The Redis a test suite talks to, always a real server:
 * <ol>
 * <li>{@code REDIS_URL} when set (tests stay isolated by key namespace);</li>
 * <li>with {@code -Dagentvine.test.redis=testcontainers} (Maven profile {@code testcontainers}), a
 *     container — only for machines with a Docker engine and a reachable image registry;</li>
 * <li>otherwise a redis-server this JVM starts on a free loopback port and stops at exit.</li>
 * </ol>
 */
public final class TestRedis {
    private static volatile String uri;

    private TestRedis() {
    }

    public static synchronized String uri() {
        if (uri == null) {
            String env = System.getenv("REDIS_URL");
            if (env != null && !env.isBlank()) {
                uri = env;
            } else if ("testcontainers".equals(System.getProperty("agentvine.test.redis"))) {
                uri = ContainerRedis.start();
            } else {
                RedisServerProcess server = RedisServerProcess.start();
                Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-redis-stop"));
                uri = server.uri();
            }
        }
        return uri;
    }

    public static RedisClient client() {
        return client(uri());
    }

    public static RedisClient client(String uri) {
        RedisURI u = RedisURI.create(uri);
        u.setTimeout(Duration.ofSeconds(30));
        return RedisClient.create(u);
    }

    /** A key namespace no other test uses. */
    public static String uniqueNamespace() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
