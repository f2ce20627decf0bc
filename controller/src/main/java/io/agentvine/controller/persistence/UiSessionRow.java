package io.agentvine.controller.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A dashboard sign-in: the SHA-256 of the cookie's id (never the id), whose key and role, how long. */
@MappedEntity("ui_sessions")
public record UiSessionRow(
        @Id String idHash,
        String role,
        String keyName,
        Instant createdAt,
        Instant expiresAt,
        @Nullable Instant revokedAt) {
}
