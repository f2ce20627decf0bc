package io.agentvine.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentvine.controller.lifecycle.LifecycleConsumer;
import io.agentvine.controller.persistence.EventRepository;
import io.agentvine.controller.persistence.LifecycleEventRepository;
import io.agentvine.controller.persistence.TaskRepository;
import io.agentvine.controller.tasks.TaskRequest;
import io.agentvine.controller.tasks.TaskSubmission;
import io.agentvine.controller.workers.FleetSweeper;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.model.LifecycleEventType;
import io.agentvine.model.TaskType;
import io.agentvine.model.WorkOrderState;
import io.agentvine.queue.Claim;
import io.agentvine.queue.LifecycleStream;
import io.agentvine.queue.WorkQueue;
import io.agentvine.queue.testing.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two controller replicas on one Redis and one database, sweeping and consuming at the same time:
 * every expired lease is recovered once, every lifecycle event applied once.
 */
class TwoReplicasTest {
    private static final int ORDERS = 150;

    private ApplicationContext a;
    private ApplicationContext b;
    private final String namespace = TestRedis.uniqueNamespace();

    @BeforeEach
    void start() {
        Map<String, Object> p = TestProperties.onH2().namespace(namespace).with("agentvine.lease", "1s")
                .with("agentvine.heartbeat-interval", "500ms").noBackground().with("micronaut.server.port", "-1").forContext();
        a = ApplicationContext.run(p);
        b = ApplicationContext.run(p); // same database URL (in-memory, shared by name), same Redis namespace
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        a.close(); // closing twice is harmless
    }

    @Test
    void two_replicas_sweeping_at_once_recover_each_expired_lease_exactly_once() throws Exception {
        TaskSubmission tasks = a.getBean(TaskSubmission.class);
        WorkQueue queue = a.getBean(WorkQueue.class);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            ids.add(tasks.create(new TaskRequest("review", "https://git.example.com/acme/shop.git", null, "Review #" + i,
                    "", "P3", null, null, null, null, null, null, null, null)).id());
        }
        Instant lastLease = Instant.MIN;
        for (int i = 0; i < ORDERS; i++) {
            Instant until = queue.claim(TaskType.REVIEW, "w-vanished").orElseThrow().leaseUntil();
            lastLease = until.isAfter(lastLease) ? until : lastLease;
        }
        Instant expired = lastLease;
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(expired)); // every lease has expired

        List<String> recovered = new CopyOnWriteArrayList<>();
        CompletableFuture<?>[] sweeps = new CompletableFuture<?>[2];
        FleetSweeper[] sweepers = {a.getBean(FleetSweeper.class), b.getBean(FleetSweeper.class)};
        for (int s = 0; s < 2; s++) {
            FleetSweeper sweeper = sweepers[s];
            sweeps[s] = CompletableFuture.runAsync(() -> {
                for (int round = 0; round < 40; round++) {
                    recovered.addAll(sweeper.runOnce().fromExpiredLeases().requeued());
                }
            });
        }
        CompletableFuture.allOf(sweeps).get();

        assertThat(recovered).hasSize(ORDERS).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        EventRepository events = a.getBean(EventRepository.class);
        long recoveryEvents = events.findTop500ByIdGreaterThanOrderById(0).stream()
                .filter(e -> e.type().equals("task_progress") && e.payload().contains("lease expired")).count();
        assertThat(recoveryEvents).isEqualTo(ORDERS);
        assertThat(queue.stats(TaskType.REVIEW).queued()).isEqualTo(ORDERS);
    }

    @Test
    void two_replicas_consuming_one_lifecycle_stream_apply_each_event_once() throws Exception {
        TaskSubmission tasks = a.getBean(TaskSubmission.class);
        WorkQueue queue = a.getBean(WorkQueue.class);
        RedisClient client = TestRedis.client();
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            LifecycleStream stream = new LifecycleStream(redis, namespace);
            List<Claim> claims = new ArrayList<>();
            for (int i = 0; i < ORDERS; i++) {
                tasks.create(new TaskRequest("docs", "https://git.example.com/acme/shop.git", null, "Docs #" + i, "", "P2",
                        null, null, null, null, null, null, null, null));
                claims.add(queue.claim(TaskType.DOCS, "w-1").orElseThrow());
            }
            LifecycleConsumer ca = a.getBean(LifecycleConsumer.class);
            LifecycleConsumer cb = b.getBean(LifecycleConsumer.class);
            ca.runOnce(Duration.ofMillis(1));
            cb.runOnce(Duration.ofMillis(1));
            CompletableFuture<?> consuming = CompletableFuture.allOf(
                    CompletableFuture.runAsync(() -> drain(ca)), CompletableFuture.runAsync(() -> drain(cb)));
            for (Claim c : claims) {
                stream.publish(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.STARTED, c.id(),
                        "w-1", 1, Instant.now()).build());
                stream.publish(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.COMPLETED, c.id(),
                        "w-1", 1, Instant.now()).build());
            }
            consuming.get();
            LifecycleEventRepository applied = a.getBean(LifecycleEventRepository.class);
            assertThat(applied.count()).isEqualTo(2L * ORDERS);
            assertThat(a.getBean(TaskRepository.class).countByState(WorkOrderState.COMPLETED))
                    .isEqualTo(ORDERS);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void a_controller_restarted_while_workers_report_loses_no_event() throws Exception {
        a.close();
        b.close();
        Map<String, Object> p = TestProperties.onH2().namespace(namespace).with("agentvine.lifecycle-claim-after", "1s")
                .with("micronaut.server.port", "-1").forContext();
        ApplicationContext first = ApplicationContext.run(p); // background on: its consumer thread runs
        TaskSubmission tasks = first.getBean(TaskSubmission.class);
        WorkQueue queue = first.getBean(WorkQueue.class);
        List<Claim> claims = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            tasks.create(new TaskRequest("test", "https://git.example.com/acme/shop.git", null, "Test #" + i, "", "P2",
                    null, null, null, null, null, null, null, null));
            claims.add(queue.claim(TaskType.TEST, "w-1").orElseThrow());
        }
        RedisClient client = TestRedis.client();
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            LifecycleStream stream = new LifecycleStream(redis, namespace);
            for (int i = 0; i < ORDERS; i++) {
                Claim c = claims.get(i);
                stream.publish(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.STARTED, c.id(),
                        "w-1", 1, Instant.now()).build());
                if (i == ORDERS / 3) {
                    first.close(); // the controller goes away mid-stream
                }
                stream.publish(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.COMPLETED, c.id(),
                        "w-1", 1, Instant.now()).build());
            }
            ApplicationContext second = ApplicationContext.run(p); // same database, same stream
            try {
                var taskRows = second.getBean(TaskRepository.class);
                await().atMost(Duration.ofSeconds(30)).until(() -> taskRows.countByState(WorkOrderState.COMPLETED) >= ORDERS);
                assertThat(taskRows.countByState(WorkOrderState.COMPLETED)).isEqualTo(ORDERS);
                assertThat(second.getBean(LifecycleEventRepository.class).count()).isEqualTo(2L * ORDERS);
            } finally {
                second.close();
            }
        } finally {
            client.shutdown();
        }
    }

    /** Consumes until the stream stays empty for a while. */
    private static void drain(LifecycleConsumer consumer) {
        int idleRounds = 0;
        while (idleRounds < 10) {
            idleRounds = consumer.runOnce(Duration.ofMillis(100)) == 0 ? idleRounds + 1 : 0;
        }
    }
}
