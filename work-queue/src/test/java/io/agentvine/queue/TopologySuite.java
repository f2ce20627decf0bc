package io.agentvine.queue;

import io.agentvine.queue.redis.RedisEndpoint;
import io.agentvine.queue.testing.TestTopologies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** A suite run once per Redis topology (a subclass per topology), with one endpoint for the whole class. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TopologySuite {
    RedisEndpoint client;

    /** The topology this suite runs against. */
    abstract TestTopologies.Kind topology();

    @BeforeAll
    void connect() {
        client = TestTopologies.endpoint(topology());
    }

    @AfterAll
    void disconnect() {
        client.close();
    }
}
