package io.agentvine.queue;

import io.agentvine.queue.testing.TestTopologies;

class RepositoryLocksClusterTest extends RepositoryLocksContract {
    @Override
    TestTopologies.Kind topology() {
        return TestTopologies.Kind.CLUSTER;
    }
}
