package io.agentvine.controller.clarifications;

import io.agentvine.controller.config.ControllerSettings;
import io.agentvine.controller.streams.GroupConsumer;
import io.agentvine.model.ClarificationRequest;
import io.agentvine.model.InvalidMessageException;
import io.agentvine.model.Json;
import io.agentvine.queue.ClarificationStreams;
import io.lettuce.core.RedisClient;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the workers' clarification requests in the consumer group {@code controller} and stores each
 * before acknowledging it (see {@link GroupConsumer}): a request sent while no controller runs, or
 * while one restarts, waits in the stream and is stored once one reads it.
 */
@Singleton
public class ClarificationConsumer extends GroupConsumer {
    private static final Logger log = LoggerFactory.getLogger(ClarificationConsumer.class);

    private final ClarificationService service;

    public ClarificationConsumer(ClarificationService service, RedisClient client, ControllerSettings settings,
                                 @io.micronaut.context.annotation.Value("${agentvine.background.enabled:true}") boolean background) {
        super(client, ClarificationStreams.requestsKey(settings.getQueueNamespace()), ClarificationStreams.REQUEST_FIELD,
                "clarification-consumer", settings.getLifecycleClaimAfter(), background);
        this.service = service;
    }

    @Override
    protected void apply(String entryId, String json) {
        try {
            service.receive(Json.read(json, ClarificationRequest.class));
        } catch (InvalidMessageException bad) {
            log.warn("dropping unreadable clarification request {}: {}", entryId, bad.getMessage());
        }
    }
}
