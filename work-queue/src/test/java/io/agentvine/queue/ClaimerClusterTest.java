package io.agentvine.queue;

import io.agentvine.queue.testing.TestTopologies;

/** Idle claimers on a 3-master / 3-replica Redis Cluster: types in several slots, one blocking connection per slot. */
class ClaimerClusterTest extends ClaimerContract {
    @Override
    TestTopologies.Kind topology() {
        return TestTopologies.Kind.CLUSTER;
    }
}
