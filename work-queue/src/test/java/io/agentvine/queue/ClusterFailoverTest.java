package io.agentvine.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.queue.redis.RedisEndpoint;
import io.agentvine.queue.testing.RedisServerProcess;
import io.agentvine.queue.testing.TestRedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Failovers of a real 3-master / 3-replica Redis Cluster (its own, started here) in the middle of a stream of claims
 * and acks ({@link FailoverScenario}): a manual {@code CLUSTER FAILOVER} on the replica of the master that serves the
 * queue's slot, then that slot's master killed with SIGKILL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailoverTest {
    private TestRedisCluster cluster;
    private RedisEndpoint endpoint;

    @BeforeAll
    void start() {
        cluster = TestRedisCluster.start();
        endpoint = FailoverScenario.endpoint(cluster.url());
    }

    @AfterAll
    void stop() {
        if (endpoint != null) {
            endpoint.close();
        }
        cluster.close();
    }

    @Test
    @Order(1)
    void a_cluster_failover_of_the_queues_master_loses_no_order_and_holds_none_twice() throws Exception {
        QueueSettings settings = FailoverScenario.settings();
        String key = settings.keys(FailoverScenario.TYPE).prefix();
        RedisServerProcess master = cluster.masterOf(key);
        RedisServerProcess replica = cluster.replicaOf(master);
        FailoverScenario.run("CLUSTER FAILOVER", endpoint, settings, () -> cluster.run(replica, r -> r.clusterFailover(false)));
        assertThat(cluster.masterOf(key)).isSameAs(replica);
        cluster.awaitHealthy();
    }

    @Test
    @Order(2)
    void the_queues_master_killed_with_sigkill_loses_no_order_and_holds_none_twice() throws Exception {
        QueueSettings settings = FailoverScenario.settings();
        String key = settings.keys(FailoverScenario.TYPE).prefix();
        RedisServerProcess master = cluster.masterOf(key);
        FailoverScenario.run("cluster master SIGKILL", endpoint, settings, master::kill);
        assertThat(cluster.masterOf(key)).isNotSameAs(master);
    }
}
