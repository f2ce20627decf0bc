package io.agentvine.controller.lifecycle;

import io.agentvine.controller.clarifications.ClarificationService;
import io.agentvine.controller.config.ControllerSettings;
import io.agentvine.model.ClarificationRequest;
import io.agentvine.queue.ClarificationStreams;
import io.agentvine.queue.redis.RedisEndpoint;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/**
 * Reads the workers' clarification requests and stores each before acknowledging it (see
 * {@link StreamConsumer}): a request sent while no controller runs, or while one restarts, waits in
 * the stream and is stored once one reads it.
 */
@Singleton
public class ClarificationConsumer extends StreamConsumer<ClarificationRequest> {
    public ClarificationConsumer(ClarificationService service, RedisEndpoint client, ControllerSettings settings,
                                 @Value("${agentvine.background.enabled:true}") boolean background) {
        super(new Stream<>(ClarificationStreams.requestsKey(settings.getQueueNamespace()), ClarificationStreams.REQUEST_FIELD,
                ClarificationRequest.class, "clarification request", "clarification-consumer"), service::receive, client,
                settings.getLifecycleClaimAfter(), background);
    }
}
