package io.agentvine.controller.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentvine.model.Json;
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

    /**
     * Micronaut's ObjectMapper speaks the contract's JSON: {@link Json#configure} is applied to it
     * once it is made, so request bodies, responses and events follow the shared model's rules.
     */
    @Singleton
    static class ContractJson implements BeanCreatedEventListener<ObjectMapper> {
        @Override
        public ObjectMapper onCreated(BeanCreatedEvent<ObjectMapper> event) {
            return Json.configure(event.getBean());
        }
    }
}
