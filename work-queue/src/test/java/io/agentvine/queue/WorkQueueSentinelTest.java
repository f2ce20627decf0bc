package io.agentvine.queue;

import io.agentvine.queue.testing.TestTopologies;

/** The queue's contract on a master with two replicas behind three Sentinels (redis-sentinel:// URL). */
class WorkQueueSentinelTest extends WorkQueueContract {
    @Override
    TestTopologies.Kind topology() {
        return TestTopologies.Kind.SENTINEL;
    }
}
