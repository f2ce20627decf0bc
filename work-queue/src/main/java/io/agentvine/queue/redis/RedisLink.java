package io.agentvine.queue.redis;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;

/**
 * One Lettuce connection of a {@link RedisEndpoint}, whatever the topology: a standalone or Sentinel-managed
 * master ({@link StatefulRedisConnection}) or a Cluster ({@link StatefulRedisClusterConnection}, which routes
 * every command by its key's slot and follows MOVED/ASK). Its commands are typed by what both have in common
 * ({@link RedisClusterCommands}, {@link RedisClusterAsyncCommands}): single-key commands, scripts, streams.
 * A command over several keys must name keys of one slot (see {@link RedisEndpoint#slot}).
 */
public final class RedisLink implements AutoCloseable {
    private final StatefulConnection<String, String> connection;
    private final RedisClusterCommands<String, String> sync;
    private final RedisClusterAsyncCommands<String, String> async;
    private final boolean cluster;

    private RedisLink(StatefulConnection<String, String> connection, RedisClusterCommands<String, String> sync,
                      RedisClusterAsyncCommands<String, String> async, boolean cluster) {
        this.connection = connection;
        this.sync = sync;
        this.async = async;
        this.cluster = cluster;
    }

    /** Wraps a connection to a standalone (or Sentinel-managed) master. */
    public static RedisLink of(StatefulRedisConnection<String, String> c) {
        return new RedisLink(c, c.sync(), c.async(), false);
    }

    /** Wraps a connection to a Redis Cluster. */
    public static RedisLink of(StatefulRedisClusterConnection<String, String> c) {
        return new RedisLink(c, c.sync(), c.async(), true);
    }

    public RedisClusterCommands<String, String> sync() {
        return sync;
    }

    public RedisClusterAsyncCommands<String, String> async() {
        return async;
    }

    public boolean isCluster() {
        return cluster;
    }

    public Duration getTimeout() {
        return connection.getTimeout();
    }

    public boolean isOpen() {
        return connection.isOpen();
    }

    /** Switches Lettuce's auto-flush: with it off, commands go out on {@link #flushCommands()}. */
    public void setAutoFlushCommands(boolean autoFlush) {
        connection.setAutoFlushCommands(autoFlush);
    }

    public void flushCommands() {
        connection.flushCommands();
    }

    @Override
    public void close() {
        connection.close();
    }
}
