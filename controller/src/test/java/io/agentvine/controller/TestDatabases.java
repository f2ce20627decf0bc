package io.agentvine.controller;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Database settings for controller tests: an in-memory H2 database in PostgreSQL mode, or a fresh
 * schema in a real PostgreSQL (AGENTVINE_TEST_POSTGRES_URL, default jdbc:postgresql://127.0.0.1:5432/test,
 * user AGENTVINE_TEST_POSTGRES_USER or postgres). A PostgreSQL that does not answer fails the test
 * with a message: CI installs and starts one (.ci/run).
 */
public final class TestDatabases {
    private TestDatabases() {
    }

    public static Map<String, String> h2() {
        Map<String, String> p = new HashMap<>();
        p.put("datasources.default.url", "jdbc:h2:mem:" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        p.put("datasources.default.driver-class-name", "org.h2.Driver");
        p.put("datasources.default.username", "sa");
        p.put("datasources.default.password", "");
        return p;
    }

    public static Map<String, String> postgres() {
        String url = env("AGENTVINE_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        String user = env("AGENTVINE_TEST_POSTGRES_USER", "postgres");
        String password = env("AGENTVINE_TEST_POSTGRES_PASSWORD", "");
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            c.isValid(2);
        } catch (Exception e) {
            throw new IllegalStateException("PostgreSQL tests need a server at " + url + " (user " + user
                    + "): " + e.getMessage() + ". Start one, or point AGENTVINE_TEST_POSTGRES_URL at one.", e);
        }
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Map<String, String> p = new HashMap<>();
        p.put("datasources.default.url", url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
        p.put("datasources.default.driver-class-name", "org.postgresql.Driver");
        p.put("datasources.default.username", user);
        p.put("datasources.default.password", password);
        p.put("flyway.datasources.default.default-schema", schema);
        p.put("flyway.datasources.default.schemas", schema);
        return p;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
