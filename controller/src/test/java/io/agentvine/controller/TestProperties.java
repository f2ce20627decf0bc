package io.agentvine.controller;

import io.agentvine.queue.testing.TestRedis;
import java.util.HashMap;
import java.util.Map;

/**
 * The properties a controller under test starts with: a database ({@link TestDatabases}), the real
 * Redis the tests share ({@link TestRedis}) under a queue namespace of its own, and what the test adds.
 */
public final class TestProperties {
    private final Map<String, String> properties;

    private TestProperties(Map<String, String> database) {
        properties = new HashMap<>(database);
        properties.put("agentvine.redis-url", TestRedis.uri());
        properties.put("agentvine.queue-namespace", TestRedis.uniqueNamespace());
    }

    /** On {@code database} (from {@link TestDatabases}). */
    public static TestProperties on(Map<String, String> database) {
        return new TestProperties(database);
    }

    /** On a fresh in-memory H2 database. */
    public static TestProperties onH2() {
        return on(TestDatabases.h2());
    }

    public TestProperties namespace(String namespace) {
        return with("agentvine.queue-namespace", namespace);
    }

    public TestProperties adminKeys(String keys) {
        return with("agentvine.admin-keys", keys);
    }

    public TestProperties workerKeys(String keys) {
        return with("agentvine.worker-keys", keys);
    }

    /** No background threads (consumers, sweeper): the test drives each round itself. */
    public TestProperties noBackground() {
        return with("agentvine.background.enabled", "false");
    }

    public TestProperties with(String key, String value) {
        properties.put(key, value);
        return this;
    }

    public Map<String, String> build() {
        return new HashMap<>(properties);
    }

    /** For {@code ApplicationContext.run}. */
    public Map<String, Object> forContext() {
        return new HashMap<>(properties);
    }
}
