package io.agentvine.controller.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.controller.TestHttp;
import io.agentvine.controller.TestProperties;
import io.agentvine.controller.config.ControllerSettings;
import io.agentvine.controller.lifecycle.LifecycleApplier;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.model.LifecycleEventType;
import io.agentvine.queue.AttemptLogStream;
import io.agentvine.queue.testing.SettableClock;
import io.agentvine.queue.testing.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An attempt whose worker died before shipping its end entry: once the database says the attempt ended
 * (longer ago than the grace for a late end entry), the page says finished and a follower gets its end.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogOfADeadWorkerTest implements TestPropertyProvider {
    private static final String ADMIN = "admin-key-dead-worker-log";

    @Inject
    EmbeddedServer server;

    @Inject
    LifecycleApplier applier;

    @Inject
    ControllerSettings settings;

    @Inject
    SettableClock clock;

    private final RedisClient redis = TestRedis.client();
    private final StatefulRedisConnection<String, String> connection = redis.connect();

    @Override
    public Map<String, String> getProperties() {
        return TestProperties.onH2().adminKeys(ADMIN).noBackground().with("test.settable-clock", "true").build();
    }

    @AfterAll
    void close() {
        connection.close();
        redis.shutdown();
    }

    @Test
    void the_end_comes_from_the_database_after_the_grace() throws Exception {
        TestHttp api = new TestHttp(() -> server.getURI().toString());
        String task = api.createDocsTask(ADMIN, "worker dies");
        applier.apply(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.STARTED, task, "w-1", 1, clock.instant()).build());
        new AttemptLogStream.Writer(connection, 1000, Duration.ofHours(1)).append(AttemptLogStream.key(settings.getQueueNamespace(), task, 1),
                List.of(new AttemptLogStream.Line(clock.instant(), "out", "the last words")), false, null, Duration.ofSeconds(10));
        applier.apply(LifecycleEvent.builder(UUID.randomUUID().toString(), LifecycleEventType.COMPLETED, task, "w-1", 1, clock.instant()).build());
        String page = "/api/v1/tasks/" + task + "/log";
        assertThat(api.send("GET", page, TestHttp.bearer(ADMIN), null, Map.of()).json()).containsEntry("finished", false);

        clock.advance(Duration.ofMinutes(1));
        assertThat(api.send("GET", page, TestHttp.bearer(ADMIN), null, Map.of()).json()).containsEntry("finished", true);

        HttpResponse<Stream<String>> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(server.getURI() + page + "/stream")).header("Authorization", "Bearer " + ADMIN)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(res.statusCode()).isEqualTo(200);
        try (Stream<String> lines = res.body()) {
            // The whole stream, read to its close: it ends by itself within the end check's period.
            List<String> all = java.util.concurrent.CompletableFuture.supplyAsync(lines::toList).get(30, TimeUnit.SECONDS);
            assertThat(all).anySatisfy(l -> assertThat(l).contains("the last words"));
            assertThat(all).contains("event: end");
        }
    }
}
