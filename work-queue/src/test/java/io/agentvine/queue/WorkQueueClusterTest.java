package io.agentvine.queue;

import io.agentvine.queue.testing.TestTopologies;

/** The queue's contract on a 3-master / 3-replica Redis Cluster (redis-cluster:// URL). */
class WorkQueueClusterTest extends WorkQueueContract {
    @Override
    TestTopologies.Kind topology() {
        return TestTopologies.Kind.CLUSTER;
    }
}
