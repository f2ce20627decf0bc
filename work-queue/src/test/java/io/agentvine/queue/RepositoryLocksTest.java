package io.agentvine.queue;

import io.agentvine.queue.testing.TestTopologies;

class RepositoryLocksTest extends RepositoryLocksContract {
    @Override
    TestTopologies.Kind topology() {
        return TestTopologies.Kind.STANDALONE;
    }
}
