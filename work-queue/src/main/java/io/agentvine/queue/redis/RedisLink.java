package io.agentvine.queue.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.protocol.ConnectionIntent;
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
    private final StatefulRedisClusterConnection<String, String> cluster;

    private RedisLink(StatefulConnection<String, String> connection, RedisClusterCommands<String, String> sync,
                      RedisClusterAsyncCommands<String, String> async, StatefulRedisClusterConnection<String, String> cluster) {
        this.connection = connection;
        this.sync = sync;
        this.async = async;
        this.cluster = cluster;
    }

    /** Wraps a connection to a standalone (or Sentinel-managed) master. */
    public static RedisLink of(StatefulRedisConnection<String, String> c) {
        return new RedisLink(c, c.sync(), c.async(), null);
    }

    /** Wraps a connection to a Redis Cluster. */
    public static RedisLink of(StatefulRedisClusterConnection<String, String> c) {
        return new RedisLink(c, c.sync(), c.async(), c);
    }

    public RedisClusterCommands<String, String> sync() {
        return sync;
    }

    public RedisClusterAsyncCommands<String, String> async() {
        return async;
    }

    public boolean isCluster() {
        return cluster != null;
    }

    /**
     * {@code WAIT}: blocks until {@code replicas} replicas have every write this connection sent to the master of
     * {@code key}'s slot, or {@code timeoutMs} passed. On a Cluster it goes to that master over the very node
     * connection the key's commands use (WAIT counts the writes of the connection it is sent on).
     *
     * @return how many replicas acknowledged
     */
    public long waitForReplicas(String key, int replicas, long timeoutMs) {
        if (cluster == null) {
            return sync.waitForReplication(replicas, timeoutMs);
        }
        RedisClusterNode master = cluster.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
        if (master == null) {
            throw new RedisCommandExecutionException("CLUSTERDOWN no master serves the slot of " + key + " in the client's view");
        }
        return cluster.getConnection(master.getUri().getHost(), master.getUri().getPort(), ConnectionIntent.WRITE).sync()
                .waitForReplication(replicas, timeoutMs);
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
