package io.agentvine.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.controller.persistence.WorkerRepository;
import io.agentvine.controller.security.Caller;
import io.agentvine.controller.workers.WorkerRegistry;
import io.agentvine.model.Heartbeat;
import io.agentvine.model.TaskType;
import io.agentvine.model.WorkerRegistration;
import io.agentvine.model.WorkerStatus;
import io.micronaut.context.ApplicationContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A controller that stops writes the heartbeats it has already answered, and leaves no thread behind. */
class HeartbeatShutdownTest {
    @Test
    void stopping_the_controller_flushes_pending_heartbeats_and_stops_its_threads() {
        Map<String, Object> p = TestProperties.onH2().with("micronaut.server.port", "-1").forContext();
        Caller admin = new Caller(Caller.Kind.ADMIN, "admin", Set.of(), true);
        String worker;
        try (ApplicationContext first = ApplicationContext.run(p)) {
            assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                    .contains("chain-releaser", "parked-runs", "budgets");
            WorkerRegistry registry = first.getBean(WorkerRegistry.class);
            worker = registry.register(admin, new WorkerRegistration(null, "w", List.of(TaskType.TEST), "1", 1,
                    List.of(), List.of(), Map.of())).workerId();
            registry.heartbeat(admin, worker, new Heartbeat(null, worker, WorkerStatus.DRAINING, List.of(), null,
                    Instant.now(), Map.of()));
        }
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .doesNotContain("heartbeat-flusher", "lifecycle-consumer", "chain-releaser", "parked-runs", "budgets");
        try (ApplicationContext second = ApplicationContext.run(p)) {
            assertThat(second.getBean(WorkerRepository.class).findById(worker).orElseThrow().status()).isEqualTo("draining");
        }
    }
}
