package io.agentvine.queue;

import io.agentvine.queue.testing.TestTopologies;

/** Idle claimers on a Sentinel-managed master. */
class ClaimerSentinelTest extends ClaimerContract {
    @Override
    TestTopologies.Kind topology() {
        return TestTopologies.Kind.SENTINEL;
    }
}
