package io.agentvine.queue;

import io.agentvine.queue.testing.TestTopologies;

/** Idle claimers on a single redis-server. */
class ClaimerTest extends ClaimerContract {
    @Override
    TestTopologies.Kind topology() {
        return TestTopologies.Kind.STANDALONE;
    }
}
