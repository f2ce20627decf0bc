package io.agentvine.controller.persistence;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A GitHub webhook delivery taken (V16): its id, event and what came of it. */
@MappedEntity("github_deliveries")
public record GitHubDeliveryRow(@Id String deliveryId, String event, String outcome, Instant receivedAt) {
}
