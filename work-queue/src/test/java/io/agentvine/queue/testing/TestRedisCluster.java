package io.agentvine.queue.testing;

import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * A real Redis Cluster on loopback for tests: six redis-server processes on free ports, three masters (the slots
 * split in three) each with one replica, formed with CLUSTER MEET / ADDSLOTS / REPLICATE. Node timeout 1 s, so a
 * killed master's replica takes over within a few seconds. {@link #close()} stops every node and deletes its folder.
 */
public final class TestRedisCluster implements AutoCloseable {
    private static final Duration READY = Duration.ofSeconds(30);
    private final List<RedisServerProcess> nodes = new ArrayList<>();
    private final RedisClient admin = RedisClient.create();

    private TestRedisCluster() {
    }

    public static TestRedisCluster start() {
        TestRedisCluster c = new TestRedisCluster();
        try {
            c.form();
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void form() {
        for (int i = 0; i < 6; i++) {
            nodes.add(RedisServerProcess.start(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                    "--cluster-node-timeout", "1000", "--cluster-replica-validity-factor", "0",
                    "--repl-diskless-sync-delay", "0")));
        }
        for (int i = 1; i < 6; i++) {
            int port = nodes.get(i).port();
            run(nodes.get(0), r -> r.clusterMeet("127.0.0.1", port));
        }
        int[][] ranges = {{0, 5460}, {5461, 10922}, {10923, SlotHash.SLOT_COUNT - 1}};
        for (int m = 0; m < 3; m++) {
            int[] slots = IntStream.rangeClosed(ranges[m][0], ranges[m][1]).toArray();
            run(nodes.get(m), r -> r.clusterAddSlots(slots));
        }
        await().atMost(READY).until(() -> nodes.stream().allMatch(n -> run(n, r -> r.clusterNodes().lines()
                .filter(l -> l.contains("connected")).count()) == 6));
        for (int i = 3; i < 6; i++) {
            String masterId = run(nodes.get(i - 3), RedisCommands::clusterMyId);
            run(nodes.get(i), r -> r.clusterReplicate(masterId));
        }
        awaitHealthy();
    }

    /** Waits until every running node says the cluster is ok and every running replica is in sync with its master. */
    public void awaitHealthy() {
        await().atMost(READY).pollInterval(Duration.ofMillis(100)).until(() -> alive().stream().allMatch(n -> {
            try {
                return run(n, r -> r.clusterInfo().contains("cluster_state:ok")
                        && (!r.info("replication").contains("role:slave") || r.info("replication").contains("master_link_status:up")));
            } catch (RuntimeException e) {
                return false;
            }
        }));
    }

    /** The seed URL the queue connects with (the three first nodes). */
    public String url() {
        return "redis-cluster://" + String.join(",", nodes.subList(0, 3).stream().map(n -> "127.0.0.1:" + n.port()).toList());
    }

    public List<RedisServerProcess> nodes() {
        return List.copyOf(nodes);
    }

    private List<RedisServerProcess> alive() {
        return nodes.stream().filter(RedisServerProcess::isAlive).toList();
    }

    /** The node that serves {@code key}'s slot now, as a running node sees it. */
    public RedisServerProcess masterOf(String key) {
        int slot = SlotHash.getSlot(key);
        for (RedisServerProcess n : alive()) {
            try {
                String line = run(n, r -> r.clusterNodes()).lines()
                        .filter(l -> l.contains("master") && !l.contains("fail") && servesSlot(l, slot)).findFirst().orElse(null);
                if (line != null) {
                    int port = Integer.parseInt(line.split(" ")[1].split("[:@]")[1]);
                    return nodes.stream().filter(x -> x.port() == port).findFirst().orElseThrow();
                }
            } catch (RuntimeException e) {
                // ask the next node
            }
        }
        throw new IllegalStateException("no running node serves slot " + slot);
    }

    /** A replica of {@code master}. */
    public RedisServerProcess replicaOf(RedisServerProcess master) {
        String id = run(master, RedisCommands::clusterMyId);
        for (RedisServerProcess n : alive()) {
            if (n != master && run(n, r -> r.clusterNodes()).lines().anyMatch(l -> l.contains("myself") && l.contains(id))) {
                return n;
            }
        }
        throw new IllegalStateException("no running replica of the node on port " + master.port());
    }

    private static boolean servesSlot(String nodesLine, int slot) {
        String[] f = nodesLine.split(" ");
        for (int i = 8; i < f.length; i++) {
            if (f[i].startsWith("[")) {
                continue;
            }
            String[] range = f[i].split("-");
            int lo = Integer.parseInt(range[0]);
            int hi = range.length > 1 ? Integer.parseInt(range[1]) : lo;
            if (slot >= lo && slot <= hi) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code call} on a short-lived connection to {@code node}. */
    public <T> T run(RedisServerProcess node, Function<RedisCommands<String, String>, T> call) {
        return node.call(admin, call);
    }

    @Override
    public void close() {
        nodes.forEach(RedisServerProcess::close);
        admin.shutdown();
    }
}
