package io.agentvine.worker.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pod's deletion cost against fabric8's Kubernetes mock API server on loopback (no cluster can run
 * here): in CRUD mode it stores the pod and applies the merge patch as the API server does; in
 * expectation mode it answers what a refusing or failing API server answers.
 */
class PodDeletionCostTest {
    private static final String NS = "fleet";
    private static final String POD = "av-agentvine-worker-feature-7c9d-x2k4";

    private KubernetesMockServer server;
    private KubernetesClient client;
    private final AtomicInteger running = new AtomicInteger();

    private void start(boolean crud) throws Exception {
        server = crud
                ? new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false)
                : new KubernetesMockServer(false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        // No retries inside the client: each turn of PodDeletionCost is one attempt, as the tests count them.
        client = server.createClient(b -> b.editOrNewConfig().withRequestRetryBackoffLimit(0).endConfig());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.destroy();
        }
    }

    /** In expectation mode: the pod, as GET answers it (the client reads the pod before it patches). */
    private void podExists() {
        server.expect().get().withPath("/api/v1/namespaces/" + NS + "/pods/" + POD)
                .andReturn(200, new PodBuilder().withNewMetadata().withName(POD).withNamespace(NS).endMetadata().build()).always();
    }

    private String annotation() {
        Pod p = client.pods().inNamespace(NS).withName(POD).get();
        return p.getMetadata().getAnnotations() == null ? null : p.getMetadata().getAnnotations().get(PodDeletionCost.ANNOTATION);
    }

    @Test
    void the_cost_is_low_while_idle_high_while_busy_and_patched_only_when_it_changes() throws Exception {
        start(true);
        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(POD).withNamespace(NS)
                .addToAnnotations("team", "agents").endMetadata().build()).create();
        PodDeletionCost cost = new PodDeletionCost(client, NS, POD, -100, 10_000, running::get);

        cost.runOnce();
        assertThat(annotation()).isEqualTo("-100");
        running.set(2);
        cost.runOnce();
        assertThat(annotation()).isEqualTo("10000");
        int requests = server.getRequestCount();
        cost.runOnce();
        cost.runOnce();
        assertThat(server.getRequestCount()).as("no patch while the value stays").isEqualTo(requests);
        running.set(0);
        cost.runOnce();
        assertThat(annotation()).isEqualTo("-100");
        assertThat(client.pods().inNamespace(NS).withName(POD).get().getMetadata().getAnnotations())
                .as("the pod's other annotations are kept").containsEntry("team", "agents");
        assertThat(cost.active()).isTrue();
    }

    @Test
    void the_patch_is_a_json_merge_patch_of_the_annotation_alone() throws Exception {
        start(false);
        podExists();
        server.expect().patch().withPath("/api/v1/namespaces/" + NS + "/pods/" + POD)
                .andReturn(200, new PodBuilder().withNewMetadata().withName(POD).endMetadata().build()).always();
        new PodDeletionCost(client, NS, POD, -100, 10_000, running::get).runOnce();

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        while (request != null && request.getMethod().equals("GET")) {
            request = server.takeRequest(5, TimeUnit.SECONDS);
        }
        assertThat(request).as("a PATCH was sent").isNotNull();
        assertThat(request.getMethod()).isEqualTo("PATCH");
        assertThat(request.getHeader("Content-Type")).startsWith("application/merge-patch+json");
        assertThat(request.getBody().readUtf8())
                .isEqualTo("{\"metadata\":{\"annotations\":{\"controller.kubernetes.io/pod-deletion-cost\":\"-100\"}}}");
    }

    @Test
    void a_refusal_by_rbac_turns_it_off_without_failing_the_worker() throws Exception {
        start(false);
        podExists();
        server.expect().patch().withPath("/api/v1/namespaces/" + NS + "/pods/" + POD)
                .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden")
                        .withMessage("pods \"" + POD + "\" is forbidden: User cannot patch resource \"pods\"").build())
                .always();
        PodDeletionCost cost = new PodDeletionCost(client, NS, POD, -100, 10_000, running::get);

        cost.runOnce();
        assertThat(cost.active()).isFalse();
        int requests = server.getRequestCount();
        running.set(1);
        cost.runOnce();
        assertThat(server.getRequestCount()).as("no more attempts once refused").isEqualTo(requests);
    }

    @Test
    void a_server_error_is_tried_again_on_the_next_turn() throws Exception {
        start(false);
        podExists();
        String path = "/api/v1/namespaces/" + NS + "/pods/" + POD;
        server.expect().patch().withPath(path).andReturn(503, "unavailable").once();
        server.expect().patch().withPath(path).andReturn(200, new PodBuilder().withNewMetadata().withName(POD).endMetadata().build()).always();
        PodDeletionCost cost = new PodDeletionCost(client, NS, POD, -100, 10_000, running::get);

        cost.runOnce(); // fails: no exception
        assertThat(cost.active()).isTrue();
        int afterFailure = server.getRequestCount();
        cost.runOnce(); // the same value again, now set
        assertThat(server.getRequestCount()).isGreaterThan(afterFailure);
        int afterSuccess = server.getRequestCount();
        cost.runOnce();
        assertThat(server.getRequestCount()).as("set: not sent again").isEqualTo(afterSuccess);
    }

    @Test
    void outside_a_pod_it_is_a_no_op_and_a_wrong_number_names_its_variable(@TempDir Path dir) throws Exception {
        Path token = dir.resolve("token");
        try (PodDeletionCost cost = PodDeletionCost.fromEnvironment(Map.of(), token, running::get)) {
            assertThat(cost.active()).isFalse();
            cost.start();
            assertThat(cost.runOnce()).isEqualTo(PodDeletionCost.EVERY);
        }
        try (PodDeletionCost cost = PodDeletionCost.fromEnvironment(Map.of("POD_NAME", POD, "POD_NAMESPACE", NS), token, running::get)) {
            assertThat(cost.active()).as("no service-account token mounted").isFalse();
        }
        Files.writeString(token, "a-token");
        try (PodDeletionCost cost = PodDeletionCost.fromEnvironment(Map.of("POD_NAME", POD, "POD_NAMESPACE", NS), token, running::get)) {
            assertThat(cost.active()).isTrue();
        }
        assertThatThrownBy(() -> PodDeletionCost.fromEnvironment(Map.of(PodDeletionCost.BUSY_VARIABLE, "lots"), token, running::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AGENTVINE_POD_DELETION_COST_BUSY: 'lots'");
    }
}
