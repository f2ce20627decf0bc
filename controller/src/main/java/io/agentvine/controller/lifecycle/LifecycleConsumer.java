package io.agentvine.controller.lifecycle;

import io.agentvine.controller.config.ControllerSettings;
import io.agentvine.controller.streams.GroupConsumer;
import io.agentvine.model.InvalidMessageException;
import io.agentvine.model.Json;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.queue.LifecycleStream;
import io.lettuce.core.RedisClient;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the workers' lifecycle stream in the consumer group {@code controller} and applies each event
 * to the database before acknowledging it (see {@link GroupConsumer}); the applier skips an event it
 * has already applied, so a redelivery after a crash changes nothing.
 */
@Singleton
public class LifecycleConsumer extends GroupConsumer {
    static final String GROUP = GroupConsumer.GROUP;
    private static final Logger log = LoggerFactory.getLogger(LifecycleConsumer.class);

    private final LifecycleApplier applier;

    public LifecycleConsumer(LifecycleApplier applier, RedisClient client, ControllerSettings settings,
                             @io.micronaut.context.annotation.Value("${agentvine.background.enabled:true}") boolean background) {
        super(client, LifecycleStream.key(settings.getQueueNamespace()), LifecycleStream.FIELD, "lifecycle-consumer",
                settings.getLifecycleClaimAfter(), background);
        this.applier = applier;
    }

    @Override
    protected void apply(String entryId, String json) {
        try {
            applier.apply(Json.read(json, LifecycleEvent.class));
        } catch (InvalidMessageException bad) {
            // A malformed entry never blocks the stream: logged (without its content) and dropped.
            log.warn("dropping unreadable lifecycle entry {}: {}", entryId, bad.getMessage());
        }
    }
}
