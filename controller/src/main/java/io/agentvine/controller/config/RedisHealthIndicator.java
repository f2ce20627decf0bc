package io.agentvine.controller.config;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** /health includes Redis: the queue and the lifecycle stream live there. */
@Singleton
public class RedisHealthIndicator implements HealthIndicator {
    private final RedisClient client;
    private volatile StatefulRedisConnection<String, String> connection;

    public RedisHealthIndicator(RedisClient client) {
        this.client = client;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Mono.fromCallable(this::check).subscribeOn(Schedulers.boundedElastic());
    }

    private HealthResult check() {
        try {
            if (connection == null) {
                connection = client.connect(StringCodec.UTF8);
            }
            String pong = connection.sync().ping();
            return HealthResult.builder("redis", HealthStatus.UP).details(Map.of("ping", pong)).build();
        } catch (RuntimeException e) {
            return HealthResult.builder("redis", HealthStatus.DOWN).details(Map.of("error", String.valueOf(e.getMessage()))).build();
        }
    }

    @PreDestroy
    void close() {
        if (connection != null) {
            connection.close();
        }
    }
}
