package io.agentvine.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentvine.controller.metrics.RunMetrics;
import io.agentvine.model.Json;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every PromQL query of deploy/grafana/agentvine.json names only series the controller exports: the
 * series of its /prometheus after a run, and those {@link RunMetrics} makes of an answered
 * clarification (the one meter a run alone does not record).
 */
@MicronautTest
class GrafanaDashboardTest extends MetricsFixture {
    private static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "agentvine.json");
    private static final Pattern SERIES = Pattern.compile("\\bagentvine_[a-z0-9_]+");

    @Test
    void the_dashboards_queries_name_exported_series() throws Exception {
        run(register("w-grafana"));
        Set<String> exported = new TreeSet<>();
        series(scrape()).forEach(s -> exported.add(s.replaceFirst("[{ ].*", "")));
        PrometheusMeterRegistry answers = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new RunMetrics(answers).answered("question", Duration.ofMinutes(3));
        series(answers.scrape()).forEach(s -> exported.add(s.replaceFirst("[{ ].*", "")));

        List<String> queries = new ArrayList<>();
        collect(Json.mapper().readTree(Files.readString(DASHBOARD)), queries);
        assertThat(queries).hasSizeGreaterThanOrEqualTo(20);
        Set<String> named = new TreeSet<>();
        for (String q : queries) {
            Matcher m = SERIES.matcher(q);
            boolean any = false;
            while (m.find()) {
                named.add(m.group());
                any = true;
            }
            assertThat(any).as("a query without an agentvine series: " + q).isTrue();
            assertThat(q).as("no query groups by an id").doesNotContainPattern("by \\([^)]*(worker|task|order)");
        }
        assertThat(exported).as("the series the dashboard names").containsAll(named);
    }

    private static void collect(JsonNode node, List<String> queries) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                if (f.getKey().equals("expr")) {
                    queries.add(f.getValue().asText());
                } else {
                    collect(f.getValue(), queries);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, queries));
        }
    }
}
