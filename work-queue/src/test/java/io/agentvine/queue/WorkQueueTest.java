package io.agentvine.queue;

import io.agentvine.queue.testing.TestTopologies;

/** The queue's contract on a single redis-server. */
class WorkQueueTest extends WorkQueueContract {
    @Override
    TestTopologies.Kind topology() {
        return TestTopologies.Kind.STANDALONE;
    }
}
