package io.agentvine.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.controller.config.FleetMetrics;
import io.agentvine.controller.workers.Health;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.model.LifecycleEventType;
import io.agentvine.model.TaskType;
import io.agentvine.model.TokenUsage;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A controller on H2 whose meters a test reads after runs reported as a worker reports them: the
 * fixture of {@link MetricsCardinalityTest} and {@link GrafanaDashboardTest}.
 */
abstract class MetricsFixture extends ApiContractFixture {
    @Override
    protected Map<String, String> database() {
        return TestDatabases.h2();
    }

    /** Long heartbeat intervals: no worker of the test turns degraded while the others register. */
    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new java.util.HashMap<>(super.getProperties());
        p.put("agentvine.heartbeat-interval", "600s");
        p.put("agentvine.stale-after", "3600s");
        p.put("agentvine.lease", "1200s");
        return p;
    }

    /** The series of a scrape whose name starts with {@code agentvine_}: name and labels, without the value. */
    static Set<String> series(String scrape) {
        return scrape.lines().filter(l -> l.startsWith("agentvine_")).map(l -> l.substring(0, l.lastIndexOf(' ')))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    String scrape() {
        return http.toBlocking().retrieve(HttpRequest.GET("/prometheus"));
    }

    String register(String name) {
        return (String) call(FEATURE_KEY, HttpRequest.POST("/api/v1/workers", registration(name, "feature"))).get("worker_id");
    }

    /** A feature task claimed by {@code worker}, started, using tokens and completed, as a worker reports it. */
    void run(String worker) {
        String id = (String) call(ADMIN, HttpRequest.POST("/api/v1/tasks", task("feature", "P2"))).get("id");
        var claim = queue.claim(TaskType.FEATURE, worker).orElseThrow();
        Instant claimed = Instant.now();
        lifecycle.publish(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.STARTED, id, worker,
                claim.attempt(), claimed.plusMillis(5)).taskType(TaskType.FEATURE).claimedAt(claimed).model("sonnet").build());
        lifecycle.publish(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.TOKEN_USAGE, id, worker,
                claim.attempt(), claimed.plusMillis(800)).taskType(TaskType.FEATURE).model("sonnet")
                .tokenUsage(new TokenUsage(1200, 300, 400, 50)).costUsd(0.02).build());
        queue.ack(claim);
        lifecycle.publish(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.COMPLETED, id, worker,
                claim.attempt(), claimed.plusMillis(1500)).taskType(TaskType.FEATURE).model("sonnet")
                .tokenUsage(new TokenUsage(100, 20, 0, 0)).costUsd(0.01)
                .result(Map.of("timings", Map.of("clone_ms", 120, "agent_ms", 1100))).build());
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> "completed".equals(call(ADMIN, HttpRequest.GET("/api/v1/tasks/" + id)).get("state")));
    }
}
