package io.agentvine.worker.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentvine.model.CurrentTask;
import io.agentvine.model.Heartbeat;
import io.agentvine.model.HeartbeatReply;
import io.agentvine.model.RegistrationReply;
import io.agentvine.model.TaskType;
import io.agentvine.model.WorkerCommand;
import io.agentvine.model.WorkerRegistration;
import io.agentvine.model.WorkerStatus;
import io.agentvine.queue.testing.TestRedis;
import io.agentvine.worker.metrics.HostMetrics;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The worker's controller client against a real controller (in-process, H2, real Redis). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControllerClientTest {
    private static final String KEY = "wk-" + UUID.randomUUID();
    private EmbeddedServer controller;
    private ControllerClient client;

    @BeforeAll
    void startController() {
        controller = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "datasources.default.url", "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
                "micronaut.server.port", -1,
                "agentvine.redis-url", TestRedis.uri(),
                "agentvine.queue-namespace", TestRedis.uniqueNamespace(),
                "agentvine.admin-keys", "admin-" + UUID.randomUUID(),
                "agentvine.worker-keys", "pool:" + KEY + ":feature|docs"));
        client = new ControllerClient(controller.getURI(), KEY, Duration.ofSeconds(5));
    }

    @AfterAll
    void stopController() {
        controller.close();
    }

    private static WorkerRegistration registration(TaskType... types) {
        return new WorkerRegistration(null, "feature-worker-1", List.of(types), "0.1.0", 2, List.of("java"), List.of("git"),
                Map.of("image", "agentvine/worker:dev"));
    }

    @Test
    void a_worker_registers_heartbeats_with_real_metrics_and_deregisters() {
        RegistrationReply reg = client.register(registration(TaskType.FEATURE));
        assertThat(reg.heartbeatIntervalSeconds()).isPositive();
        HostMetrics metrics = new HostMetrics(Path.of("."), Clock.systemUTC());
        HeartbeatReply reply = client.heartbeat(new Heartbeat(null, reg.workerId(), WorkerStatus.BUSY,
                List.of(new CurrentTask("t-1", "t-1", TaskType.FEATURE, Instant.now(), 1)), metrics.sample(), Instant.now(),
                Map.of("agent", "demo")));
        assertThat(reply.command()).isEqualTo(WorkerCommand.NONE);
        client.deregister(reg.workerId());
        assertThatThrownBy(() -> client.heartbeat(new Heartbeat(null, reg.workerId(), WorkerStatus.IDLE, List.of(), null,
                Instant.now(), Map.of())))
                .isInstanceOfSatisfying(ControllerException.class, e -> assertThat(e.workerGone()).isTrue());
    }

    @Test
    void a_refusal_carries_the_controllers_message_and_never_the_key() {
        assertThatThrownBy(() -> client.register(registration(TaskType.REVIEW)))
                .isInstanceOfSatisfying(ControllerException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.getMessage()).contains("review").doesNotContain(KEY);
                });
        ControllerClient wrongKey = new ControllerClient(controller.getURI(), "not-the-key", Duration.ofSeconds(5));
        assertThatThrownBy(() -> wrongKey.register(registration(TaskType.FEATURE)))
                .isInstanceOfSatisfying(ControllerException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void an_unreachable_controller_is_reported_as_unavailable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ControllerClient down = new ControllerClient(URI.create("http://127.0.0.1:" + port), KEY, Duration.ofSeconds(2));
        assertThatThrownBy(() -> down.register(registration(TaskType.FEATURE)))
                .isInstanceOf(ControllerUnavailableException.class).hasMessageNotContaining(KEY);
    }
}
