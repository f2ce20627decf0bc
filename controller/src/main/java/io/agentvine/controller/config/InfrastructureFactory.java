package io.agentvine.controller.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentvine.model.TaskTypes;
import io.agentvine.queue.QueueSettings;
import io.agentvine.queue.WorkQueue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;

/** Redis, the work queue, the clock and the task types, as beans. */
@Factory
public class InfrastructureFactory {

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    @Bean(preDestroy = "shutdown")
    RedisClient redisClient(ControllerSettings settings) {
        RedisURI uri = RedisURI.create(settings.getRedisUrl());
        uri.setTimeout(Duration.ofSeconds(10));
        return RedisClient.create(uri);
    }

    @Singleton
    @Bean(preDestroy = "close")
    WorkQueue workQueue(RedisClient client, ControllerSettings settings, Clock clock) {
        return new WorkQueue(client, QueueSettings.defaults().withNamespace(settings.getQueueNamespace())
                .withLease(settings.getLease()), clock);
    }

    @Singleton
    TaskTypes taskTypes(ControllerSettings settings) {
        return TaskTypes.withCustom(new LinkedHashSet<>(settings.getCustomTaskTypes()));
    }

    /** Micronaut's ObjectMapper speaks the contract's JSON (shared-model's {@code Json.configure}). */
    @Singleton
    static class ContractJson implements BeanCreatedEventListener<ObjectMapper> {
        @Override
        public ObjectMapper onCreated(BeanCreatedEvent<ObjectMapper> event) {
            ObjectMapper mapper = event.getBean();
            mapper.registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule());
            mapper.setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);
            mapper.configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
            mapper.configure(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false);
            mapper.configure(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, true);
            mapper.configure(com.fasterxml.jackson.core.StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION.mappedFeature(), false);
            return mapper;
        }
    }
}
