package io.agentvine.controller.workers;

import io.agentvine.controller.config.ControllerSettings;
import io.agentvine.queue.redis.RedisEndpoint;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.agentvine.queue.redis.RedisLink;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.UUID;

/**
 * A lease-style Redis lock ({@code SET NX PX}, released only by its holder) so that among several
 * controller replicas one sweep runs at a time. If a holder dies the lock lapses after its TTL.
 */
public final class SweepLock {
    private static final String RELEASE =
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

    private final RedisLink connection;
    private final String key;
    private final Duration ttl;
    private final String owner = UUID.randomUUID().toString();

    public SweepLock(RedisLink connection, String key, Duration ttl) {
        this.connection = connection;
        this.key = key;
        this.ttl = ttl;
    }

    public boolean tryAcquire() {
        return "OK".equals(connection.sync().set(key, owner, SetArgs.Builder.nx().px(ttl.toMillis())));
    }

    public void release() {
        connection.sync().eval(RELEASE, ScriptOutputType.INTEGER, new String[] {key}, owner);
    }

    /** Closes the lock's connection (it is the lock's own). */
    public void close() {
        connection.close();
    }

    /** The fleet sweep's lock, on its own connection; its TTL is six health-check intervals, at least 30 s. */
    @Factory
    static class Beans {
        @Singleton
        @Bean(preDestroy = "close")
        SweepLock sweepLock(RedisEndpoint redis, ControllerSettings settings) {
            Duration six = settings.getHealthCheckInterval().multipliedBy(6);
            Duration ttl = six.compareTo(Duration.ofSeconds(30)) > 0 ? six : Duration.ofSeconds(30);
            return new SweepLock(redis.connect(), settings.getQueueNamespace() + ":lock:sweep", ttl);
        }
    }
}
