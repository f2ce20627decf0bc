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
 * The Prometheus series are bounded: a fleet of 1,000 more workers, heartbeating and running tasks,
 * adds no series, and no series names a worker (or a task). Also the series the dashboard needs exist
 * after a run ({@link #series}, used by {@code GrafanaDashboardTest}).
 */
@MicronautTest
class MetricsCardinalityTest extends MetricsFixture {
    @Test
    void a_thousand_more_workers_add_no_series() {
        String first = register("w-first");
        run(first);
        Set<String> before = series(scrape());
        for (String expected : List.of("agentvine_queue_wait_seconds_bucket{level=\"default\",type=\"feature\",",
                "agentvine_run_time_seconds_bucket{outcome=\"completed\",type=\"feature\",",
                "agentvine_clone_time_seconds_bucket{type=\"feature\",", "agentvine_agent_time_seconds_bucket{model_tier=\"standard\",type=\"feature\",",
                "agentvine_runs_ended_total{outcome=\"completed\",type=\"feature\"}",
                "agentvine_tokens_total{kind=\"cache_read\",model=\"sonnet\",type=\"feature\"}",
                "agentvine_cost_usd_total{model=\"sonnet\",type=\"feature\"}", "agentvine_workers{health=\"healthy\"}",
                "agentvine_clarifications_pending ", "agentvine_queue_depth{level=\"high\",type=\"feature\"}")) {
            assertThat(before).as(expected).anyMatch(s -> (s + " ").startsWith(expected));
        }

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String id = register("w-" + i);
            call(FEATURE_KEY, HttpRequest.POST("/api/v1/workers/" + id + "/heartbeat", heartbeat(id, "idle")));
            ids.add(id);
        }
        run(ids.get(999));
        String after = scrape();

        assertThat(series(after)).isEqualTo(before);
        List<String> named = ids.stream().filter(after::contains).toList();
        assertThat(named).as("worker ids in /prometheus").isEmpty();
        assertThat(after).doesNotContain(first);
        assertThat(after).contains("agentvine_workers{health=\"healthy\"} 1001.0");
        assertThat(FleetMetrics.HEALTH_LEVELS)
                .containsExactlyElementsOf(Arrays.stream(Health.values()).map(Health::wireName).toList());
    }
}
