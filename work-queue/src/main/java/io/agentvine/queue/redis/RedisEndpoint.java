package io.agentvine.queue.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.RedisClusterURIUtil;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Where the queue's Redis is and how to reach it: the one place that turns a URL into a Lettuce client
 * (the controller's and the worker's). Three topologies, told apart by the URL's scheme:
 * <ul>
 * <li>{@code redis://[user:password@]host:port[/db]} or {@code rediss://…} (TLS): one server;</li>
 * <li>{@code redis-sentinel://[password@]host1:26379,host2:26379[/db]#mymaster}: a master found through
 *     Sentinels (Lettuce's own syntax; {@code rediss-sentinel://} for TLS). A failover is followed on
 *     reconnect: the old master kills its clients' connections, Lettuce asks the Sentinels again;</li>
 * <li>{@code redis-cluster://[user:password@]host1:7000,host2:7001} ({@code rediss-cluster://} for TLS): a
 *     Redis Cluster; the hosts are seeds, the rest of the topology is discovered, refreshed every
 *     {@link Options#topologyRefresh()} and at once on MOVED/ASK or repeated reconnects.</li>
 * </ul>
 * Every connection has TCP keepalive and a TCP user timeout (epoll), so a peer that vanished without a
 * FIN (a node powered off, a partition) is noticed in seconds instead of the kernel's two hours.
 *
 * <p>{@code ?min-replicas=N} on any of them sets {@link Options#minReplicas()} (changes wait until N replicas
 * have them).
 *
 * <p>The cluster form is a scheme of its own rather than a separate mode setting: one string carries the
 * whole connection for the controller, every worker and the Helm chart, and cannot disagree with a second
 * setting.
 */
public final class RedisEndpoint implements AutoCloseable {

    /** The topology a URL names. */
    public enum Mode {
        STANDALONE, SENTINEL, CLUSTER
    }

    /**
     * Connection tunables.
     *
     * @param commandTimeout  how long a command may wait for its reply
     * @param retryBudget     how long a queue call keeps retrying through a failover (READONLY, -UNBLOCKED,
     *                        -LOADING, connection loss) before it gives up with the last error
     * @param topologyRefresh a Cluster's periodic topology refresh
     * @param minReplicas     replicas that must have a queue change before the call returns ({@code WAIT}); 0: none.
     *                        Redis replicates asynchronously: a master killed right after a change may take it with it
     *                        (an enqueue, a claim, an ack). With 1, a change the caller was told about survives a
     *                        failover to a replica that had it (the Sentinels and the Cluster promote the most
     *                        up-to-date one), at the price of a replication round trip per change
     * @param replicaTimeout  how long a call waits for {@code minReplicas}; past it the change stands, with a warning, and
     *                        changes go on unconfirmed (one call in five seconds looks again) until a replica confirms one
     */
    public record Options(Duration commandTimeout, Duration retryBudget, Duration topologyRefresh, int minReplicas,
                          Duration replicaTimeout) {
        public static final Options DEFAULT = new Options(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(10),
                0, Duration.ofMillis(250));

        public Options {
            positive(commandTimeout, "command_timeout");
            positive(retryBudget, "retry_budget");
            positive(topologyRefresh, "topology_refresh");
            positive(replicaTimeout, "replica_timeout");
            if (minReplicas < 0) {
                throw new IllegalArgumentException("min_replicas must not be negative, was " + minReplicas);
            }
        }

        public Options withCommandTimeout(Duration v) {
            return new Options(v, retryBudget, topologyRefresh, minReplicas, replicaTimeout);
        }

        public Options withRetryBudget(Duration v) {
            return new Options(commandTimeout, v, topologyRefresh, minReplicas, replicaTimeout);
        }

        public Options withMinReplicas(int v) {
            return new Options(commandTimeout, retryBudget, topologyRefresh, v, replicaTimeout);
        }

        private static void positive(Duration d, String name) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be a positive duration, was " + d);
            }
        }
    }

    /** {@code min-replicas=N} in the URL's query: {@link Options#minReplicas()}, read here and not passed to Lettuce. */
    private static final java.util.regex.Pattern MIN_REPLICAS = java.util.regex.Pattern.compile("([?&])min-replicas=([0-9])(?=&|#|$)");

    private final Mode mode;
    private final RedisClient client;
    private final RedisClusterClient clusterClient;
    private final Options options;
    private final String description;
    private final boolean owned;

    private RedisEndpoint(Mode mode, RedisClient client, RedisClusterClient clusterClient, Options options,
                          String description, boolean owned) {
        this.mode = mode;
        this.client = client;
        this.clusterClient = clusterClient;
        this.options = options;
        this.description = description;
        this.owned = owned;
    }

    public static RedisEndpoint create(String url) {
        return create(url, Options.DEFAULT);
    }

    /**
     * Builds the client for {@code url} (no connection is made yet).
     *
     * @throws IllegalArgumentException naming the setting when the URL is missing or malformed
     */
    public static RedisEndpoint create(String url, Options options) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("redis_url is required (redis://, rediss://, redis-sentinel:// or redis-cluster://)");
        }
        String u = url.strip();
        java.util.regex.Matcher m = MIN_REPLICAS.matcher(u);
        if (m.find()) {
            options = options.withMinReplicas(Integer.parseInt(m.group(2)));
            String after = u.substring(m.end());
            if (m.group(1).equals("?") && after.startsWith("&")) {
                after = "?" + after.substring(1);
            }
            u = u.substring(0, m.start()) + after;
        } else if (u.contains("min-replicas=")) {
            throw new IllegalArgumentException("redis_url: min-replicas must be a number of replicas (0-9), e.g. ?min-replicas=1");
        }
        return build(u, options);
    }

    private static RedisEndpoint build(String u, Options options) {
        String scheme = u.contains("://") ? u.substring(0, u.indexOf("://")).toLowerCase(Locale.ROOT) : "";
        try {
            return switch (scheme) {
                case "redis", "rediss", "redis-socket" -> {
                    RedisURI uri = RedisURI.create(u);
                    uri.setTimeout(options.commandTimeout());
                    RedisClient c = RedisClient.create(uri);
                    c.setOptions(clientOptions());
                    yield new RedisEndpoint(Mode.STANDALONE, c, null, options, redact(uri), true);
                }
                case "redis-sentinel", "rediss-sentinel" -> {
                    RedisURI uri = RedisURI.create(u);
                    if (uri.getSentinelMasterId() == null || uri.getSentinelMasterId().isBlank()) {
                        throw new IllegalArgumentException("redis_url: a redis-sentinel:// URL names its master after '#', e.g. "
                                + "redis-sentinel://host1:26379,host2:26379/0#mymaster");
                    }
                    uri.setTimeout(options.commandTimeout());
                    RedisClient c = RedisClient.create(uri);
                    c.setOptions(clientOptions());
                    yield new RedisEndpoint(Mode.SENTINEL, c, null, options, redact(uri), true);
                }
                case "redis-cluster", "rediss-cluster" -> {
                    String plain = (scheme.startsWith("rediss") ? "rediss" : "redis") + u.substring(scheme.length());
                    List<RedisURI> seeds = RedisClusterURIUtil.toRedisURIs(URI.create(plain));
                    if (seeds.isEmpty()) {
                        throw new IllegalArgumentException("redis_url: a redis-cluster:// URL needs at least one host:port");
                    }
                    seeds.forEach(s -> s.setTimeout(options.commandTimeout()));
                    RedisClusterClient c = RedisClusterClient.create(seeds);
                    c.setOptions(clusterOptions(options));
                    yield new RedisEndpoint(Mode.CLUSTER, null, c, options,
                            scheme + "://" + String.join(",", seeds.stream().map(s -> s.getHost() + ":" + s.getPort()).toList()), true);
                }
                default -> throw new IllegalArgumentException("redis_url must start with redis://, rediss://, redis-sentinel:// "
                        + "or redis-cluster://, was " + (scheme.isEmpty() ? "a URL without a scheme" : scheme + "://…"));
            };
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("redis_url")) {
                throw e;
            }
            // Lettuce's message may quote the URL, password included: never repeat it.
            String example = scheme.contains("sentinel") ? "redis-sentinel://[password@]host1:26379,host2:26379/0#mymaster"
                    : scheme.contains("cluster") ? "redis-cluster://[user:password@]host1:7000,host2:7001"
                    : "redis://[user:password@]host:6379[/db]";
            throw new IllegalArgumentException("redis_url is not a valid " + scheme + ":// URL; expected " + example, null);
        }
    }

    /** Whether {@code url} names one of the schemes {@link #create} takes (a cheap check for configuration loaders). */
    public static boolean hasKnownScheme(String url) {
        if (url == null || !url.contains("://")) {
            return false;
        }
        String scheme = url.strip().substring(0, url.strip().indexOf("://")).toLowerCase(Locale.ROOT);
        return List.of("redis", "rediss", "redis-socket", "redis-sentinel", "rediss-sentinel", "redis-cluster", "rediss-cluster")
                .contains(scheme);
    }

    /** An endpoint over a client made elsewhere (tests, the benchmarks); {@link #close()} leaves it running. */
    public static RedisEndpoint wrap(RedisClient client) {
        return new RedisEndpoint(Mode.STANDALONE, client, null, Options.DEFAULT, "redis (client given)", false);
    }

    /** An endpoint over a cluster client made elsewhere; {@link #close()} leaves it running. */
    public static RedisEndpoint wrap(RedisClusterClient client) {
        return new RedisEndpoint(Mode.CLUSTER, null, client, Options.DEFAULT, "redis-cluster (client given)", false);
    }

    /** Socket and reconnect settings shared by every topology. */
    static SocketOptions socketOptions() {
        return SocketOptions.builder()
                .connectTimeout(Duration.ofSeconds(5))
                .keepAlive(SocketOptions.KeepAliveOptions.builder().enable()
                        .idle(Duration.ofSeconds(5)).interval(Duration.ofSeconds(2)).count(3).build())
                .tcpUserTimeout(SocketOptions.TcpUserTimeoutOptions.builder().enable()
                        .tcpUserTimeout(Duration.ofSeconds(11)).build())
                .build();
    }

    static ClientOptions clientOptions() {
        return ClientOptions.builder().socketOptions(socketOptions()).autoReconnect(true).build();
    }

    static ClusterClientOptions clusterOptions(Options options) {
        ClusterTopologyRefreshOptions refresh = ClusterTopologyRefreshOptions.builder()
                .enablePeriodicRefresh(options.topologyRefresh())
                .enableAllAdaptiveRefreshTriggers()
                // After a failover every client sees MOVED or reconnect failures at once; one refresh a second is plenty.
                .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
                .refreshTriggersReconnectAttempts(2)
                .dynamicRefreshSources(true)
                .closeStaleConnections(true)
                .build();
        return ClusterClientOptions.builder().socketOptions(socketOptions()).autoReconnect(true)
                .topologyRefreshOptions(refresh).maxRedirects(5)
                // A node the cluster marked failed leaves the client's view: its connection is closed and what waited on
                // it fails at once, and the queue's retry sends it to the promoted replica. Without this, commands queued
                // for the dead master waited for the command timeout (10 s stand-stills measured).
                .nodeFilter(n -> !(n.is(RedisClusterNode.NodeFlag.FAIL) || n.is(RedisClusterNode.NodeFlag.EVENTUAL_FAIL)
                        || n.is(RedisClusterNode.NodeFlag.NOADDR)))
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .cancelCommandsOnReconnectFailure(true)
                .build();
    }

    public Mode mode() {
        return mode;
    }

    public Options options() {
        return options;
    }

    public boolean isCluster() {
        return mode == Mode.CLUSTER;
    }

    /** A new multiplexed connection (on a Cluster: routed per key, to every master it needs). */
    public RedisLink connect() {
        if (clusterClient != null) {
            return RedisLink.of(clusterClient.connect(StringCodec.UTF8));
        }
        return RedisLink.of(client.connect(StringCodec.UTF8));
    }

    /** The Redis Cluster slot of {@code key}; keys of one slot may share a script, a transaction or a multi-key command. */
    public static int slot(String key) {
        return SlotHash.getSlot(key);
    }

    /**
     * The group a key belongs to for a command over several keys: its slot on a Cluster, one group for
     * everything on a single master.
     */
    public int group(String key) {
        return isCluster() ? slot(key) : 0;
    }

    /** The URL without its password, for logs and health details. */
    @Override
    public String toString() {
        return description;
    }

    private static String redact(RedisURI uri) {
        StringBuilder b = new StringBuilder();
        if (!uri.getSentinels().isEmpty()) {
            b.append(uri.isSsl() ? "rediss-sentinel://" : "redis-sentinel://");
            b.append(String.join(",", uri.getSentinels().stream().map(s -> s.getHost() + ":" + s.getPort()).toList()));
            b.append('/').append(uri.getDatabase()).append('#').append(uri.getSentinelMasterId());
        } else if (uri.getSocket() != null) {
            b.append("redis-socket://").append(uri.getSocket());
        } else {
            b.append(uri.isSsl() ? "rediss://" : "redis://").append(uri.getHost()).append(':').append(uri.getPort())
                    .append('/').append(uri.getDatabase());
        }
        return b.toString();
    }

    /** Shuts the client down when this endpoint made it; idempotent. */
    @Override
    public void close() {
        if (!owned) {
            return;
        }
        if (client != null) {
            client.shutdown();
        }
        if (clusterClient != null) {
            clusterClient.shutdown();
        }
    }
}
