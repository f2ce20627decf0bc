package io.agentvine.controller.config;

import io.agentvine.queue.redis.RedisEndpoint;
import io.agentvine.queue.redis.RedisLink;
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
    private final RedisEndpoint client;
    private volatile RedisLink connection;

    public RedisHealthIndicator(RedisEndpoint client) {
        this.client = client;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Mono.fromCallable(this::check).subscribeOn(Schedulers.boundedElastic());
    }

    private HealthResult check() {
        try {
            if (connection == null) {
                connection = client.connect();
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
