package io.agentvine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.LintResult;
import io.agentvine.model.QueueLevel;
import io.agentvine.model.TaskType;
import io.agentvine.queue.QueueKeys;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Helm chart deploy/helm/agentvine, rendered by Helm for each Redis mode and for the ScaledJob
 * mode: lint passes, every document is valid Kubernetes or KEDA (offline schemas), and the
 * invariants that keep running agents alive hold.
 */
class HelmChartTest {
    private static final List<String> TYPES = List.of("feature", "bugfix", "test", "docs", "refactor", "review");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    @TempDir
    Path tmp;

    static Map<String, Object> secrets() {
        return Map.of("adminKey", "admin-secret-1", "workerKey", "worker-secret-1", "redisPassword", "redis-secret-1",
                "postgresPassword", "pg-secret-1", "redisSentinelPassword", "sentinel-secret-1", "anthropicApiKey", "sk-ant-secret-1");
    }

    static Map<String, Object> values(String mode) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("secrets", secrets());
        switch (mode) {
            case "standalone" -> v.put("redis", Map.of("mode", "standalone", "standalone", Map.of("host", "redis.data", "port", 6379)));
            case "sentinel" -> v.put("redis", Map.of("mode", "sentinel", "sentinel",
                    Map.of("masterName", "mymaster", "hosts", List.of("sentinel-0:26379", "sentinel-1:26379", "sentinel-2:26379"), "auth", true)));
            case "cluster" -> v.put("redis", Map.of("mode", "cluster", "cluster", Map.of("nodes", List.of("rc-0:7000", "rc-1:7001", "rc-2:7002"))));
            case "scaledjob" -> v.put("workerDefaults", Map.of("autoscaling", Map.of("kind", "ScaledJob")));
            case "minimal" -> { // no Redis password, H2, one controller, fixed worker replicas
                v.put("secrets", Map.of("adminKey", "admin-secret-1", "workerKey", "worker-secret-1"));
                v.put("redis", Map.of("auth", Map.of("enabled", false)));
                v.put("postgresql", Map.of("enabled", false));
                v.put("controller", Map.of("replicas", 1));
                v.put("workerDefaults", Map.of("autoscaling", Map.of("enabled", false)));
            }
            default -> throw new IllegalArgumentException(mode);
        }
        v.put("networkPolicy", Map.of("enabled", true));
        return v;
    }

    @ParameterizedTest
    @ValueSource(strings = {"standalone", "sentinel", "cluster", "scaledjob", "minimal"})
    void lint_passes_and_every_rendered_document_is_valid_kubernetes_or_keda(String mode) {
        LintResult lint = RenderedChart.lint(tmp, values(mode));
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();

        List<JsonNode> docs = RenderedChart.render(tmp, values(mode));
        assertThat(docs).isNotEmpty();
        List<String> problems = docs.stream().flatMap(d -> KubernetesSchemas.problems(d).stream()).toList();
        assertThat(problems).as("schema problems").isEmpty();
    }

    @Test
    void the_validation_itself_catches_an_unknown_field_a_wrong_type_and_a_keda_typo() {
        JsonNode deployment = RenderedChart.documents("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  replicas: 1
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      containers:
                        - name: c
                          image: i
                          securityContext: {readOnlyRootFileSystem: true}
                """).get(0);
        assertThat(String.join("\n", KubernetesSchemas.problems(deployment))).contains("readOnlyRootFileSystem");
        JsonNode wrongType = RenderedChart.documents("""
                apiVersion: v1
                kind: Service
                metadata: {name: x}
                spec:
                  ports: [{port: {a: 1}}]
                """).get(0);
        assertThat(String.join("\n", KubernetesSchemas.problems(wrongType))).contains("port");
        JsonNode scaled = RenderedChart.documents("""
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: x}
                spec:
                  scaleTargetRef: {name: x}
                  advanced: {scalingModifiers: {formula: a, target: 1, metricsType: AverageValue}}
                  triggers: [{type: redis, metadata: {listLength: 5}}]
                """).get(0);
        assertThat(String.join("\n", KubernetesSchemas.problems(scaled)))
                .contains("metricsType").contains("target").contains("listLength");
    }

    @ParameterizedTest
    @ValueSource(strings = {"standalone", "sentinel", "cluster"})
    void a_deployment_and_a_scaled_object_per_type_whose_formula_sums_the_three_lists_and_the_leases(String mode) {
        List<JsonNode> docs = RenderedChart.render(tmp, values(mode));
        String expectedType = Map.of("standalone", "redis", "sentinel", "redis-sentinel", "cluster", "redis-cluster").get(mode);
        for (String type : TYPES) {
            String name = "av-agentvine-worker-" + type;
            JsonNode deployment = one(docs, "Deployment", name);
            JsonNode so = one(docs, "ScaledObject", name);
            assertThat(so.at("/spec/scaleTargetRef/name").asText()).isEqualTo(name);
            assertThat(env(deployment, "AGENTVINE_WORKER_TYPES")).isEqualTo(type);

            QueueKeys keys = new QueueKeys("wo", new TaskType(type));
            Map<String, String> listByTrigger = new HashMap<>();
            for (JsonNode t : so.at("/spec/triggers")) {
                assertThat(t.path("type").asText()).isEqualTo(expectedType);
                assertThat(t.at("/authenticationRef/name").asText()).isEqualTo("av-agentvine-redis");
                listByTrigger.put(t.path("name").asText(), t.at("/metadata/listName").asText());
            }
            assertThat(listByTrigger.values()).containsExactlyInAnyOrder(keys.queue(QueueLevel.HIGH), keys.queue(QueueLevel.DEFAULT),
                    keys.queue(QueueLevel.LOW), keys.leases());
            String formula = so.at("/spec/advanced/scalingModifiers/formula").asText();
            assertThat(formula.replace(" ", "")).as("a plain sum").matches("[A-Za-z_][A-Za-z0-9_]*(\\+[A-Za-z_][A-Za-z0-9_]*)*");
            assertThat(identifiers(formula)).isEqualTo(new TreeSet<>(listByTrigger.keySet()));
            assertThat(so.at("/spec/advanced/scalingModifiers/target").asText()).as("slots per pod")
                    .isEqualTo(env(deployment, "AGENTVINE_MAX_CONCURRENT_TASKS"));
            assertThat(so.at("/spec/advanced/scalingModifiers/metricType").asText()).isEqualTo("AverageValue");
            assertThat(so.at("/spec/minReplicaCount").asInt()).isZero();
            JsonNode down = so.at("/spec/advanced/horizontalPodAutoscalerConfig/behavior/scaleDown");
            assertThat(down.path("stabilizationWindowSeconds").asInt()).as("slow scale-down").isGreaterThanOrEqualTo(300);
            assertThat(down.at("/policies/0/value").asInt()).isEqualTo(1);
        }
        assertThat(docs.stream().filter(d -> d.path("kind").asText().equals("ScaledObject")).count()).isEqualTo(TYPES.size());
    }

    @Test
    void hash_tags_in_list_names_are_quoted_in_the_yaml() {
        String raw = new com.marcnuri.helm.Helm(RenderedChart.CHART).template().withName("av")
                .withValuesFile(write(values("standalone"))).call();
        List<String> listLines = raw.lines().filter(l -> l.trim().startsWith("listName:")).toList();
        assertThat(listLines).hasSize(TYPES.size() * 4).allSatisfy(l -> assertThat(l.trim()).matches("listName: \"\\{wo:[a-z]+}:[a-z:]+\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"standalone", "sentinel", "cluster"})
    void redis_url_and_keda_addresses_follow_the_mode(String mode) {
        List<JsonNode> docs = RenderedChart.render(tmp, values(mode));
        String expected = Map.of(
                "standalone", "redis://:$(REDIS_PASSWORD)@redis.data:6379/0",
                "sentinel", "redis-sentinel://:$(REDIS_PASSWORD)@sentinel-0:26379,sentinel-1:26379,sentinel-2:26379/0#mymaster",
                "cluster", "redis-cluster://:$(REDIS_PASSWORD)@rc-0:7000,rc-1:7001,rc-2:7002").get(mode);
        assertThat(env(one(docs, "Deployment", "av-agentvine-controller"), "REDIS_URL")).isEqualTo(expected);
        assertThat(env(one(docs, "Deployment", "av-agentvine-worker-docs"), "REDIS_URL")).isEqualTo(expected);
        JsonNode trigger = one(docs, "ScaledObject", "av-agentvine-worker-docs").at("/spec/triggers/0/metadata");
        switch (mode) {
            case "standalone" -> assertThat(trigger.path("address").asText()).isEqualTo("redis.data:6379");
            case "sentinel" -> {
                assertThat(trigger.path("addresses").asText()).isEqualTo("sentinel-0:26379,sentinel-1:26379,sentinel-2:26379");
                assertThat(trigger.path("sentinelMaster").asText()).isEqualTo("mymaster");
                assertThat(one(docs, "TriggerAuthentication", "av-agentvine-redis").at("/spec/secretTargetRef").findValuesAsText("parameter"))
                        .containsExactly("password", "sentinelPassword");
            }
            default -> assertThat(trigger.path("addresses").asText()).isEqualTo("rc-0:7000,rc-1:7001,rc-2:7002");
        }
    }

    @Test
    void the_grace_period_outlasts_the_task_timeout_plus_the_drain() {
        Map<String, Object> v = values("standalone");
        v.put("workers", List.of(Map.of("type", "feature", "taskTimeoutSeconds", 7200), Map.of("type", "review")));
        List<JsonNode> docs = RenderedChart.render(tmp, v);
        for (JsonNode d : pods(docs)) {
            JsonNode pod = d.at("/spec/template/spec").isMissingNode() ? d.at("/spec/jobTargetRef/template/spec") : d.at("/spec/template/spec");
            if (env(d, "AGENTVINE_TASK_TIMEOUT") == null) {
                continue; // the controller
            }
            long timeout = seconds(env(d, "AGENTVINE_TASK_TIMEOUT"));
            long drain = seconds(env(d, "AGENTVINE_SHUTDOWN_GRACE"));
            assertThat(drain).as("runs may finish within the drain").isGreaterThan(timeout);
            assertThat(pod.path("terminationGracePeriodSeconds").asLong()).isGreaterThan(drain);
        }
        assertThat(seconds(env(one(docs, "Deployment", "av-agentvine-worker-feature"), "AGENTVINE_TASK_TIMEOUT"))).isEqualTo(7200);
        assertThat(one(docs, "Deployment", "av-agentvine-worker-feature").at("/spec/template/spec/terminationGracePeriodSeconds").asLong())
                .isEqualTo(7200 + 120 + 60);
    }

    @ParameterizedTest
    @ValueSource(strings = {"standalone", "scaledjob"})
    void every_pod_runs_non_root_read_only_without_capabilities_under_runtime_default_seccomp(String mode) {
        List<JsonNode> docs = RenderedChart.render(tmp, values(mode));
        List<JsonNode> pods = pods(docs);
        assertThat(pods).hasSize(1 + TYPES.size());
        for (JsonNode d : pods) {
            JsonNode pod = podSpec(d);
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
            assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
            Set<String> emptyDirs = StreamSupport.stream(pod.path("volumes").spliterator(), false)
                    .filter(vol -> vol.has("emptyDir")).map(vol -> vol.path("name").asText()).collect(Collectors.toSet());
            for (JsonNode c : pod.path("containers")) {
                JsonNode sc = c.path("securityContext");
                assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).isTrue();
                assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
                assertThat(sc.at("/capabilities/drop/0").asText()).isEqualTo("ALL");
                List<String> mounts = c.path("volumeMounts").findValuesAsText("mountPath");
                assertThat(mounts).contains("/tmp");
                c.path("volumeMounts").forEach(m -> assertThat(emptyDirs).contains(m.path("name").asText()));
            }
        }
    }

    @Test
    void scaled_job_mode_runs_one_order_per_job_with_a_gradual_rollout() {
        List<JsonNode> docs = RenderedChart.render(tmp, values("scaledjob"));
        assertThat(docs.stream().filter(d -> d.path("kind").asText().equals("ScaledObject"))).isEmpty();
        assertThat(docs.stream().filter(d -> d.path("kind").asText().equals("Deployment"))).hasSize(1); // the controller
        for (String type : TYPES) {
            JsonNode job = one(docs, "ScaledJob", "av-agentvine-worker-" + type);
            assertThat(job.at("/spec/rollout/strategy").asText()).isEqualTo("gradual");
            JsonNode container = job.at("/spec/jobTargetRef/template/spec/containers/0");
            assertThat(container.path("args").toString()).isEqualTo("[\"--once\"]");
            assertThat(job.at("/spec/jobTargetRef/template/spec/restartPolicy").asText()).isEqualTo("Never");
            QueueKeys keys = new QueueKeys("wo", new TaskType(type));
            assertThat(job.at("/spec/triggers").findValuesAsText("listName")).as("running Jobs are counted by KEDA")
                    .containsExactlyInAnyOrder(keys.queue(QueueLevel.HIGH), keys.queue(QueueLevel.DEFAULT), keys.queue(QueueLevel.LOW));
            assertThat(job.at("/spec/scalingStrategy/multipleScalersCalculation").asText()).isEqualTo("sum");
        }
    }

    @Test
    void controller_has_two_replicas_probes_on_health_a_disruption_budget_and_the_worker_keys_from_the_secret() {
        List<JsonNode> docs = RenderedChart.render(tmp, values("standalone"));
        JsonNode c = one(docs, "Deployment", "av-agentvine-controller");
        assertThat(c.at("/spec/replicas").asInt()).isEqualTo(2);
        JsonNode container = c.at("/spec/template/spec/containers/0");
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            assertThat(container.at("/" + probe + "/httpGet/path").asText()).isEqualTo("/health");
        }
        JsonNode pdb = one(docs, "PodDisruptionBudget", "av-agentvine-controller");
        assertThat(pdb.at("/spec/selector/matchLabels")).isEqualTo(c.at("/spec/selector/matchLabels"));
        assertThat(env(c, "AGENTVINE_WORKER_KEYS")).isEqualTo("fleet:$(AGENTVINE_FLEET_WORKER_KEY):*");
        JsonNode role = one(docs, "Role", "av-agentvine-worker");
        assertThat(role.at("/rules").size()).isEqualTo(1);
        assertThat(role.at("/rules/0/resources").toString()).isEqualTo("[\"pods\"]");
        assertThat(role.at("/rules/0/verbs").toString()).isEqualTo("[\"get\",\"patch\"]");
        JsonNode worker = one(docs, "Deployment", "av-agentvine-worker-feature");
        assertThat(worker.at("/spec/template/spec/automountServiceAccountToken").asBoolean()).isTrue();
        assertThat(c.at("/spec/template/spec/automountServiceAccountToken").asBoolean()).isFalse();
        assertThat(env(worker, "POD_NAME")).isNull(); // from the downward API
        assertThat(envFrom(worker, "POD_NAME").at("/fieldRef/fieldPath").asText()).isEqualTo("metadata.name");
    }

    @Test
    void with_an_existing_secret_no_secret_is_rendered_and_no_secret_value_appears() {
        Map<String, Object> v = values("sentinel");
        v.put("secrets", new HashMap<>(secrets()));
        ((Map<String, Object>) v.get("secrets")).put("existingSecret", "team-agentvine");
        String raw = new com.marcnuri.helm.Helm(RenderedChart.CHART).template().withName("av").withValuesFile(write(v)).call();
        List<JsonNode> docs = RenderedChart.documents(raw);
        assertThat(docs.stream().filter(d -> d.path("kind").asText().equals("Secret"))).isEmpty();
        for (Object secret : secrets().values()) {
            assertThat(raw).doesNotContain((String) secret);
        }
        assertThat(raw).contains("name: team-agentvine");
        // and without it, the chart's own Secret holds them base64-encoded, never in an env value
        String own = new com.marcnuri.helm.Helm(RenderedChart.CHART).template().withName("av").withValuesFile(write(values("sentinel"))).call();
        for (Object secret : secrets().values()) {
            assertThat(own).doesNotContain((String) secret);
        }
    }

    @Test
    void wrong_values_are_refused_naming_the_field() {
        Map<String, Object> v = values("standalone");
        v.put("redis", Map.of("mode", "replicated"));
        assertThat(RenderedChart.renderError(tmp, v)).contains("redis").contains("mode");
        v = values("standalone");
        v.put("workers", List.of(Map.of("type", "Feature")));
        assertThat(RenderedChart.renderError(tmp, v)).contains("type");
        v = values("standalone");
        v.put("workerDefaults", Map.of("concurrency", 0));
        assertThat(RenderedChart.renderError(tmp, v)).contains("concurrency");
        v = values("standalone");
        v.put("workers", List.of(Map.of("type", "docs"), Map.of("type", "docs")));
        assertThat(RenderedChart.renderError(tmp, v)).contains("\"docs\" is listed twice");
        v = values("standalone");
        v.put("workerDefaults", Map.of("stopMarginSeconds", 5));
        assertThat(RenderedChart.renderError(tmp, v)).contains("stopMarginSeconds");
        v = values("standalone");
        v.put("redis", Map.of("mode", "sentinel"));
        assertThat(RenderedChart.renderError(tmp, v)).contains("hosts");
        v = values("minimal");
        v.put("controller", Map.of("replicas", 2));
        assertThat(RenderedChart.renderError(tmp, v)).contains("controller.replicas: more than one replica needs postgresql.enabled");
        v = values("standalone");
        v.put("secrets", Map.of("workerKey", "w"));
        assertThat(RenderedChart.renderError(tmp, v)).contains("secrets.adminKey is required");
        // The chart's own defaults carry no secret: an install must give them (Helm's lint only logs a template's fail).
        assertThat(RenderedChart.renderError(tmp, Map.of())).contains("secrets.adminKey is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"standalone", "sentinel", "cluster"})
    void the_network_policies_let_workers_reach_dns_redis_and_the_controller_and_the_controller_its_databases(String mode) {
        List<JsonNode> docs = RenderedChart.render(tmp, values(mode));
        Set<Integer> redisPorts = Map.of("standalone", Set.of(6379), "sentinel", Set.of(6379, 26379), "cluster", Set.of(7000, 7001, 7002))
                .get(mode);
        JsonNode worker = one(docs, "NetworkPolicy", "av-agentvine-worker");
        JsonNode controller = one(docs, "NetworkPolicy", "av-agentvine-controller");
        assertThat(worker.at("/spec/policyTypes").toString()).isEqualTo("[\"Ingress\",\"Egress\"]");
        assertThat(worker.at("/spec/ingress").size()).as("nobody calls a worker").isZero();
        Set<Integer> workerPorts = new TreeSet<>(worker.at("/spec/egress").findValues("port").stream().map(JsonNode::asInt).toList());
        assertThat(workerPorts).contains(53, 8080, 443).containsAll(redisPorts).doesNotContain(5432);
        Set<Integer> controllerPorts = new TreeSet<>(controller.at("/spec/egress").findValues("port").stream().map(JsonNode::asInt).toList());
        assertThat(controllerPorts).containsAll(redisPorts).contains(53, 5432).doesNotContain(443);
        assertThat(controller.at("/spec/ingress/0/ports/0/port").asInt()).isEqualTo(8080);
    }

    @Test
    void without_a_redis_password_nothing_refers_to_one_and_without_autoscaling_the_replicas_are_fixed() {
        List<JsonNode> docs = RenderedChart.render(tmp, values("minimal"));
        JsonNode worker = one(docs, "Deployment", "av-agentvine-worker-review");
        assertThat(env(worker, "REDIS_URL")).isEqualTo("redis://redis:6379/0");
        assertThat(envFrom(worker, "REDIS_PASSWORD").isMissingNode()).isTrue();
        assertThat(worker.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(docs.stream().map(d -> d.path("kind").asText())).doesNotContain("ScaledObject", "ScaledJob", "TriggerAuthentication");
        assertThat(env(one(docs, "Deployment", "av-agentvine-controller"), "AGENTVINE_H2_URL")).startsWith("jdbc:h2:file:/var/lib/agentvine/");
    }

    @Test
    void a_custom_type_with_an_underscore_gets_a_valid_name_and_its_own_keys() {
        Map<String, Object> v = values("cluster");
        v.put("workers", List.of(Map.of("type", "security_audit", "concurrency", 3,
                "env", Map.of("AGENTVINE_TASK_TYPES_FILE", "/etc/agentvine/types/task-types.yml"),
                "extraVolumes", List.of(Map.of("name", "types", "configMap", Map.of("name", "agentvine-task-types"))),
                "extraVolumeMounts", List.of(Map.of("name", "types", "mountPath", "/etc/agentvine/types", "readOnly", true)))));
        List<JsonNode> docs = RenderedChart.render(tmp, v);
        assertThat(docs.stream().flatMap(d -> KubernetesSchemas.problems(d).stream())).isEmpty();
        JsonNode so = one(docs, "ScaledObject", "av-agentvine-worker-security-audit");
        assertThat(so.at("/spec/triggers").findValuesAsText("listName")).contains("{wo:security_audit}:q:high", "{wo:security_audit}:leases");
        assertThat(so.at("/spec/advanced/scalingModifiers/target").asText()).isEqualTo("3");
        JsonNode worker = one(docs, "Deployment", "av-agentvine-worker-security-audit");
        assertThat(env(worker, "AGENTVINE_WORKER_TYPES")).isEqualTo("security_audit");
        assertThat(env(worker, "AGENTVINE_CUSTOM_TASK_TYPES")).isEqualTo("security_audit");
        assertThat(env(worker, "AGENTVINE_TASK_TYPES_FILE")).isEqualTo("/etc/agentvine/types/task-types.yml");
        assertThat(worker.at("/spec/template/spec/volumes").findValuesAsText("name")).contains("types");
        assertThat(worker.at("/spec/template/spec/containers/0/volumeMounts").findValuesAsText("mountPath")).contains("/etc/agentvine/types");
        assertThat(env(one(docs, "Deployment", "av-agentvine-controller"), "AGENTVINE_CUSTOM_TASK_TYPES")).isEqualTo("security_audit");
        assertThat(env(one(RenderedChart.render(tmp, values("standalone")), "Deployment", "av-agentvine-controller"),
                "AGENTVINE_CUSTOM_TASK_TYPES")).as("the six built-in types need none").isNull();
        v.put("workers", List.of(Map.of("type", "security_audit"), Map.of("type", "security-audit")));
        assertThat(RenderedChart.renderError(tmp, v)).contains("both give the resource name");
    }

    @Test
    void without_the_deletion_cost_no_service_account_token_is_mounted() {
        Map<String, Object> v = values("standalone");
        v.put("workerDefaults", Map.of("podDeletionCost", Map.of("enabled", false)));
        JsonNode worker = one(RenderedChart.render(tmp, v), "Deployment", "av-agentvine-worker-test");
        assertThat(worker.at("/spec/template/spec/automountServiceAccountToken").asBoolean()).isFalse();
        assertThat(envFrom(worker, "POD_NAME").isMissingNode()).isTrue();
        JsonNode job = one(RenderedChart.render(tmp, values("scaledjob")), "ScaledJob", "av-agentvine-worker-test");
        assertThat(job.at("/spec/jobTargetRef/template/spec/automountServiceAccountToken").asBoolean()).as("a Job's pod is never scaled in")
                .isFalse();
    }

    // ---- helpers ----

    private Path write(Map<String, Object> values) {
        try {
            Path f = tmp.resolve("v-" + System.nanoTime() + ".yaml");
            RenderedChart.YAML.writeValue(f.toFile(), values);
            return f;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Set<String> identifiers(String formula) {
        Set<String> ids = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(formula);
        while (m.find()) {
            ids.add(m.group());
        }
        return ids;
    }

    private static JsonNode one(List<JsonNode> docs, String kind, String name) {
        List<JsonNode> found = docs.stream().filter(d -> d.path("kind").asText().equals(kind) && d.at("/metadata/name").asText().equals(name))
                .toList();
        assertThat(found).as(kind + " " + name).hasSize(1);
        return found.get(0);
    }

    private static List<JsonNode> pods(List<JsonNode> docs) {
        List<JsonNode> pods = new ArrayList<>();
        for (JsonNode d : docs) {
            if (!podSpec(d).isMissingNode()) {
                pods.add(d);
            }
        }
        return pods;
    }

    private static JsonNode podSpec(JsonNode d) {
        JsonNode p = d.at("/spec/template/spec");
        return p.isMissingNode() ? d.at("/spec/jobTargetRef/template/spec") : p;
    }

    private static JsonNode envFrom(JsonNode d, String name) {
        for (JsonNode e : podSpec(d).at("/containers/0/env")) {
            if (e.path("name").asText().equals(name)) {
                return e.path("valueFrom");
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static String env(JsonNode d, String name) {
        for (JsonNode e : podSpec(d).at("/containers/0/env")) {
            if (e.path("name").asText().equals(name)) {
                return e.has("value") ? e.path("value").asText() : null;
            }
        }
        return null;
    }

    private static long seconds(String duration) {
        assertThat(duration).matches("[0-9]+s");
        return Long.parseLong(duration.substring(0, duration.length() - 1));
    }
}
