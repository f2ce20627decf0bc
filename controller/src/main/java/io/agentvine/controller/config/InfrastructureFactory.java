package io.agentvine.controller.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentvine.model.Json;
import io.agentvine.model.TaskTypes;
import io.agentvine.queue.QueueSettings;
import io.agentvine.queue.WorkQueue;
import io.agentvine.queue.redis.RedisEndpoint;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.random.RandomGenerator;

/** Redis, the work queue, the clock and the task types, as beans. */
@Factory
public class InfrastructureFactory {

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Standalone, Sentinel or Cluster, from the URL's scheme (see {@link RedisEndpoint}). */
    @Singleton
    @Bean(preDestroy = "close")
    RedisEndpoint redisEndpoint(ControllerSettings settings) {
        return RedisEndpoint.create(settings.getRedisUrl(), RedisEndpoint.Options.DEFAULT.withCommandTimeout(Duration.ofSeconds(10)));
    }

    @Singleton
    @Bean(preDestroy = "close")
    WorkQueue workQueue(RedisEndpoint client, ControllerSettings settings, LockSettings locks, Clock clock) {
        return new WorkQueue(client, QueueSettings.defaults().withNamespace(settings.getQueueNamespace())
                .withLease(settings.getLease()), clock, RandomGenerator.getDefault(), locks.toLocks());
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
