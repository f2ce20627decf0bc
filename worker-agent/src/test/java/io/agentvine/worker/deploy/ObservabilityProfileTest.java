package io.agentvine.worker.deploy;

import static io.agentvine.worker.deploy.ComposeFileTest.envExample;
import static io.agentvine.worker.deploy.ComposeFileTest.list;
import static io.agentvine.worker.deploy.ComposeFileTest.map;
import static io.agentvine.worker.deploy.ComposeFileTest.root;
import static io.agentvine.worker.deploy.ComposeFileTest.services;
import static io.agentvine.worker.deploy.ComposeFileTest.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentvine.model.Json;
import io.agentvine.worker.metrics.MetricsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The compose file's {@code observability} profile and its provisioning files fit together: every file
 * parses; Prometheus scrapes the controller's service at its port and path and every worker service
 * of docker-compose.yml at the port .env.example suggests for the workers' own /metrics; Grafana's data
 * source is the prometheus service at its port, of the type the dashboard's data-source variable asks
 * for; the dashboard provider reads the directory the compose file mounts the dashboard into; the
 * images are variables whose defaults are the official images.
 */
class ObservabilityProfileTest {
    private static final Pattern DEFAULT = Pattern.compile("\\$\\{([A-Z0-9_]+):-([^}]*)}");

    @BeforeAll
    static void load() throws IOException {
        ComposeFileTest.load(); // root, services and envExample: the same files, read the same way
    }

    @Test
    void prometheus_and_grafana_run_in_the_profile_on_images_given_as_variables() {
        for (var image : Map.of("prometheus", "AGENTVINE_PROMETHEUS_IMAGE", "grafana", "AGENTVINE_GRAFANA_IMAGE").entrySet()) {
            Map<String, Object> service = map(services.get(image.getKey()));
            assertThat(list(service.get("profiles")).stream().map(String::valueOf).toList()).as(image.getKey()).containsExactly("observability");
            String spec = String.valueOf(service.get("image"));
            assertThat(variable(spec)).as(image.getKey() + " image").isEqualTo(image.getValue());
            assertThat(defaultOf(spec)).as(image.getKey() + " image").startsWith(image.getKey().equals("prometheus")
                    ? "prom/prometheus:" : "grafana/grafana:");
        }
        // No other service is in a profile: a plain `docker compose up` is the fleet as before.
        services.forEach((name, s) -> assertThat(map(s).containsKey("profiles")).as(name).isEqualTo(
                name.equals("prometheus") || name.equals("grafana")));
    }

    @Test
    void prometheus_scrapes_the_controller_and_every_worker_service_of_the_compose_file() throws IOException {
        Map<String, Object> prometheus = map(services.get("prometheus"));
        Path config = mountedFile(prometheus, "/etc/prometheus/prometheus.yml");
        assertThat(config).isEqualTo(root.resolve("deploy/prometheus/prometheus.yml"));
        assertThat(list(prometheus.get("command")).stream().map(String::valueOf).toList())
                .contains("--config.file=/etc/prometheus/prometheus.yml");

        Map<String, Map<String, Object>> jobs = new HashMap<>();
        for (Object job : list(yaml(config).get("scrape_configs"))) {
            jobs.put(String.valueOf(map(job).get("job_name")), map(job));
        }
        assertThat(jobs).containsOnlyKeys("controller", "workers");

        Map<String, Object> controller = jobs.get("controller");
        assertThat(controller.get("metrics_path")).isEqualTo("/prometheus");
        List<String> targets = new ArrayList<>();
        list(controller.get("static_configs")).forEach(c -> list(map(c).get("targets")).forEach(t -> targets.add(String.valueOf(t))));
        String controllerPort = defaultOf(String.valueOf(map(map(services.get("controller")).get("environment")).get("AGENTVINE_PORT")));
        assertThat(targets).containsExactly("controller:" + controllerPort);
        assertThat(services).containsKey("controller");

        Map<String, Object> workers = jobs.get("workers");
        assertThat(workers.get("metrics_path")).isEqualTo("/metrics");
        Map<String, Object> dns = map(list(workers.get("dns_sd_configs")).get(0));
        List<String> workerServices = services.keySet().stream()
                .filter(n -> map(map(services.get(n)).get("environment")).containsKey("AGENTVINE_WORKER_TYPES")).toList();
        assertThat(workerServices).hasSize(6);
        assertThat(list(dns.get("names")).stream().map(String::valueOf).toList()).containsExactlyInAnyOrderElementsOf(workerServices);
        assertThat(dns.get("type")).isEqualTo("A");
        // The port .env.example suggests for the workers' own /metrics (commented out: off by default).
        String suggested = Files.readAllLines(root.resolve(".env.example")).stream()
                .filter(l -> l.startsWith("#" + MetricsSettings.PORT_VARIABLE + "=")).findFirst().orElseThrow()
                .substring(MetricsSettings.PORT_VARIABLE.length() + 2);
        assertThat(String.valueOf(dns.get("port"))).isEqualTo(suggested);
        assertThat(envExample).doesNotContainKey(MetricsSettings.PORT_VARIABLE);
        for (String worker : workerServices) {
            assertThat(String.valueOf(map(map(services.get(worker)).get("environment")).get(MetricsSettings.PORT_VARIABLE)))
                    .as(worker).isEqualTo("${" + MetricsSettings.PORT_VARIABLE + ":-}");
        }
    }

    @Test
    void grafana_gets_the_prometheus_data_source_and_the_dashboard() throws IOException {
        Map<String, Object> grafana = map(services.get("grafana"));
        Path provisioning = mountedFile(grafana, "/etc/grafana/provisioning");
        assertThat(provisioning).isEqualTo(root.resolve("deploy/grafana/provisioning"));
        Map<String, Object> env = map(grafana.get("environment"));

        List<?> sources = list(yaml(provisioning.resolve("datasources/prometheus.yml")).get("datasources"));
        assertThat(sources).hasSize(1);
        Map<String, Object> source = map(sources.get(0));
        assertThat(source.get("type")).isEqualTo("prometheus");
        assertThat(source.get("name")).isEqualTo("Prometheus");
        assertThat(source.get("isDefault")).isEqualTo(true);
        assertThat(source.get("url")).isEqualTo("http://prometheus:${PROMETHEUS_PORT}");
        assertThat(services).containsKey("prometheus");
        assertThat(defaultOf(String.valueOf(env.get("PROMETHEUS_PORT"))))
                .isEqualTo(defaultOf(String.valueOf(map(map(services.get("prometheus")).get("environment")).get("PROMETHEUS_PORT"))));

        Map<String, Object> provider = map(list(yaml(provisioning.resolve("dashboards/agentvine.yml")).get("providers")).get(0));
        assertThat(provider.get("type")).isEqualTo("file");
        String dashboards = String.valueOf(map(provider.get("options")).get("path"));
        Path dashboard = mountedFile(grafana, dashboards + "/agentvine.json");
        assertThat(dashboard).isEqualTo(root.resolve("deploy/grafana/agentvine.json"));
        assertThat(String.valueOf(env.get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"))).isEqualTo(dashboards + "/agentvine.json");

        // Every panel's data source is the dashboard's variable, and the variable picks data sources of the provisioned type.
        JsonNode json = Json.mapper().readTree(dashboard.toFile());
        JsonNode variable = null;
        for (JsonNode v : json.path("templating").path("list")) {
            if (v.path("type").asText().equals("datasource")) {
                variable = v;
            }
        }
        assertThat(variable).as("a data-source variable").isNotNull();
        assertThat(variable.path("query").asText()).isEqualTo(source.get("type"));
        List<String> uids = new ArrayList<>();
        json.findValues("datasource").forEach(d -> uids.add(d.path("uid").asText()));
        assertThat(uids).isNotEmpty().containsOnly("${" + variable.path("name").asText() + "}");
    }

    /** The host file a service mounts at {@code target} (its bind mount's source, resolved from the repository root). */
    private static Path mountedFile(Map<String, Object> service, String target) {
        for (Object v : list(service.get("volumes"))) {
            String[] parts = String.valueOf(v).split(":(?![^{]*})"); // not inside ${...:-...}
            if (parts.length >= 2 && parts[1].equals(target)) {
                String source = parts[0].startsWith("${") ? defaultOf(parts[0]) : parts[0];
                Path p = root.resolve(source).normalize();
                assertThat(p).as(target + " ← " + source).exists();
                return p;
            }
        }
        throw new AssertionError("nothing is mounted at " + target + " in " + service.get("volumes"));
    }

    private static String variable(String spec) {
        Matcher m = DEFAULT.matcher(spec);
        assertThat(m.find()).as(spec).isTrue();
        return m.group(1);
    }

    private static String defaultOf(String spec) {
        Matcher m = DEFAULT.matcher(spec);
        assertThat(m.find()).as(spec + ": ${VAR:-default}").isTrue();
        return m.group(2);
    }
}
