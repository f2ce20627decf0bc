package io.agentvine.queue;

import io.agentvine.queue.testing.TestTopologies;

class RepositoryLocksSentinelTest extends RepositoryLocksContract {
    @Override
    TestTopologies.Kind topology() {
        return TestTopologies.Kind.SENTINEL;
    }
}
