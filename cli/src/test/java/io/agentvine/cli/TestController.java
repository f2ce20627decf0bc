package io.agentvine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentvine.model.Json;
import io.agentvine.queue.testing.TestRedis;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real controller in this JVM, configured only through properties (no controller class is named):
 * H2 in memory, the test Redis, an admin, a viewer and a worker key, on a fixed loopback port so that
 * {@link #restart()} brings it back where clients expect it, with its database.
 */
public final class TestController implements AutoCloseable {
    public static final String ADMIN = "cli-admin-key-0001";
    public static final String VIEWER = "cli-viewer-key-0001";
    public static final String WORKER = "cli-worker-key-0001";

    private final Map<String, Object> properties;
    private final String namespace = TestRedis.uniqueNamespace();
    private final int port;
    private EmbeddedServer server;

    public TestController(boolean background) {
        port = freePort();
        properties = new HashMap<>();
        properties.put("datasources.default.url", "jdbc:h2:mem:" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        properties.put("datasources.default.driver-class-name", "org.h2.Driver");
        properties.put("datasources.default.username", "sa");
        properties.put("datasources.default.password", "");
        properties.put("micronaut.server.host", "127.0.0.1");
        properties.put("micronaut.server.port", port);
        properties.put("agentvine.redis-url", TestRedis.uri());
        properties.put("agentvine.queue-namespace", namespace);
        properties.put("agentvine.admin-keys", ADMIN);
        properties.put("agentvine.viewer-keys", VIEWER);
        properties.put("agentvine.worker-keys", "cli-pool:" + WORKER + ":*");
        properties.put("agentvine.background.enabled", Boolean.toString(background));
        start();
    }

    private void start() {
        server = ApplicationContext.run(EmbeddedServer.class, properties);
    }

    /** Stops the controller and starts it again on the same port and database (clients' connections drop). */
    public void restart() {
        server.close();
        start();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public String namespace() {
        return namespace;
    }

    /** Registers a worker serving {@code types} with the worker key, as a worker agent does; returns its id. */
    public String registerWorker(String name, List<String> types) {
        Map<String, Object> body = Map.of("name", name, "worker_types", types, "version", "0.1.0", "max_concurrent_tasks", 2);
        return post("/api/v1/workers", WORKER, Json.write(body)).path("worker_id").asText();
    }

    public JsonNode post(String path, String key, String json) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url() + path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
        try {
            HttpResponse<String> res = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() >= 300) {
                throw new IllegalStateException(path + " answered " + res.statusCode() + ": " + res.body());
            }
            return Json.readTree(res.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
