package io.agentvine.controller.lifecycle;

import io.agentvine.logging.LogContext;
import io.agentvine.controller.config.ControllerSettings;
import io.agentvine.controller.domain.WorkerReports;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.queue.LifecycleStream;
import io.agentvine.queue.redis.RedisEndpoint;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/**
 * Reads the workers' lifecycle stream and applies each event to the database before acknowledging it
 * (see {@link StreamConsumer}); the applier skips an event it has already applied, so a redelivery
 * after a crash changes nothing.
 */
@Singleton
public class LifecycleConsumer extends StreamConsumer<LifecycleEvent> implements WorkerReports {
    public LifecycleConsumer(LifecycleApplier applier, RedisEndpoint client, ControllerSettings settings,
                             @Value("${agentvine.background.enabled:true}") boolean background) {
        super(new Stream<>(LifecycleStream.key(settings.getQueueNamespace()), LifecycleStream.FIELD, LifecycleEvent.class,
                "lifecycle entry", "lifecycle-consumer"), e -> {
                    try (var run = LogContext.run(e.workerId(), e.taskId(), e.workOrderId(), e.attempt())) {
                        applier.apply(e);
                    }
                }, client, settings.getLifecycleClaimAfter(), background);
    }
}
