package io.agentvine.controller;

import static org.assertj.core.api.Assertions.assertThat;


import io.agentvine.controller.config.ControllerSettings;
import io.agentvine.controller.lifecycle.LifecycleApplier;
import io.agentvine.model.Json;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.model.LifecycleEventType;
import io.agentvine.model.TaskType;
import io.agentvine.queue.Claim;
import io.agentvine.queue.LifecycleStream;
import io.agentvine.queue.WorkQueue;
import io.agentvine.queue.redis.RedisEndpoint;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
/**
 * What the REST API contract tests share: a controller on a real Redis and a real database (each
 * class its own database or schema and its own queue namespace), its keys, and requests as the
 * Micronaut client sends them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ApiContractFixture implements TestPropertyProvider {
    static final String ADMIN = "admin-secret-1";
    static final String FEATURE_KEY = "feature-worker-secret";
    static final String OTHER_KEY = "other-worker-secret";

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    WorkQueue queue;

    @Inject
    RedisEndpoint redisClient;

    @Inject
    ControllerSettings settings;

    LifecycleStream lifecycle;

    @BeforeAll
    void lifecycleStream() {
        lifecycle = new LifecycleStream(redisClient.connect(), settings.getQueueNamespace());
    }

    protected abstract Map<String, String> database();

    @Override
    public Map<String, String> getProperties() {
        return baseProperties();
    }

    /** The fixture's properties with {@code keysAndValues} (key, value, key, value…) over them: a test class's own. */
    protected Map<String, String> propertiesWith(String... keysAndValues) {
        Map<String, String> p = new HashMap<>(baseProperties());
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            p.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return p;
    }

    private Map<String, String> baseProperties() {
        return TestProperties.on(database()).adminKeys(ADMIN)
                .workerKeys("feature-pool:" + FEATURE_KEY + ":feature|bugfix,other-pool:" + OTHER_KEY + ":*")
                .with("agentvine.custom-task-types", "security-audit").build();
    }

    // ---- helpers ----------------------------------------------------------------------------

    <T> MutableHttpRequest<T> as(String key, MutableHttpRequest<T> r) {
        return key == null ? r : r.bearerAuth(key);
    }

    Map<String, Object> call(String key, MutableHttpRequest<?> r) {
        HttpResponse<String> res = http.toBlocking().exchange(as(key, r), String.class);
        String body = res.body();
        return body == null || body.isBlank() ? Map.of() : Json.read(body, Map.class);
    }

    HttpClientResponseException failure(String key, MutableHttpRequest<?> r) {
        try {
            http.toBlocking().exchange(as(key, r), String.class);
        } catch (HttpClientResponseException e) {
            return e;
        }
        throw new AssertionError("expected an error status for " + r.getMethod() + " " + r.getPath());
    }

    Map<String, Object> errorBody(HttpClientResponseException e) {
        return Json.read(e.getResponse().getBody(String.class).orElseThrow(), Map.class);
    }

    Map<String, Object> task(String type, String priority) {
        Map<String, Object> t = new HashMap<>();
        t.put("type", type);
        t.put("repository_url", "https://git.example.com/acme/shop.git");
        t.put("branch", "main");
        t.put("title", "Add CSV export");
        t.put("instructions", "Export orders as CSV from the admin page.");
        t.put("priority", priority);
        t.put("metadata", Map.of("ticket", "SHOP-12", "nested", Map.of("x", List.of(1, 2.5))));
        return t;
    }

    /** A task of {@code type} made through the API, claimed by {@code worker}, and its start applied as of {@code at}. */
    Claim startedRun(LifecycleApplier applier, TaskType type, String worker, Instant at) {
        String id = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", task(type.name(), "P2"))).get("id");
        Claim c = queue.claim(type, worker).orElseThrow();
        assertThat(c.id()).isEqualTo(id);
        applier.apply(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.STARTED, id, worker, c.attempt(), at)
                .taskType(type).claimedAt(at).build());
        return c;
    }

    Map<String, Object> registration(String name, String... types) {
        return Map.of("name", name, "worker_types", List.of(types), "version", "0.1.0", "max_concurrent_tasks", 2,
                "specializations", List.of("java"), "tools", List.of("git"), "metadata", Map.of("zone", "eu-1"));
    }

    Map<String, Object> heartbeat(String id, String status) {
        return Map.of("worker_id", id, "status", status, "current_tasks", List.of(), "sent_at", Instant.now().toString(),
                "metrics", Map.of("cpu_percent", 12.5, "memory_used_bytes", 1000, "memory_total_bytes", 4000,
                        "disk_used_bytes", 10, "disk_free_bytes", 20, "load_average", 0.3, "uptime_seconds", 42),
                "metadata", Map.of("agent", "demo"));
    }
}
