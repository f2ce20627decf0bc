package io.agentvine.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.queue.redis.RedisEndpoint;
import io.agentvine.queue.testing.RedisServerProcess;
import io.agentvine.queue.testing.TestRedisSentinel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Failovers of a real master + 2 replicas + 3 Sentinels (its own, started here) in the middle of a stream of claims
 * and acks ({@link FailoverScenario}): {@code SENTINEL FAILOVER}, then the new master killed with SIGKILL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SentinelFailoverTest {
    private TestRedisSentinel sentinel;
    private RedisEndpoint endpoint;

    @BeforeAll
    void start() {
        sentinel = TestRedisSentinel.start();
        endpoint = FailoverScenario.endpoint(sentinel.url());
    }

    @AfterAll
    void stop() {
        if (endpoint != null) {
            endpoint.close();
        }
        sentinel.close();
    }

    @Test
    @Order(1)
    void a_sentinel_failover_loses_no_order_and_holds_none_twice() throws Exception {
        RedisServerProcess before = sentinel.master();
        FailoverScenario.run("SENTINEL FAILOVER", endpoint, FailoverScenario.settings(),
                () -> sentinel.sentinel(sentinel.sentinels().get(0), s -> s.failover(TestRedisSentinel.MASTER_NAME)));
        assertThat(sentinel.master()).isNotSameAs(before);
        sentinel.awaitHealthy();
    }

    @Test
    @Order(2)
    void the_master_killed_with_sigkill_loses_no_order_and_holds_none_twice() throws Exception {
        RedisServerProcess before = sentinel.master();
        FailoverScenario.run("sentinel master SIGKILL", endpoint, FailoverScenario.settings(), before::kill);
        assertThat(sentinel.master()).isNotSameAs(before);
    }
}
