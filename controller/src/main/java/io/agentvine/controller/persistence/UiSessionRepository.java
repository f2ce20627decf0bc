package io.agentvine.controller.persistence;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface UiSessionRepository extends CrudRepository<UiSessionRow, String> {
    void updateRevokedAt(@Id String idHash, Instant revokedAt);

    /** Forgets sessions that ended before {@code before}. */
    int deleteByExpiresAtLessThan(Instant before);
}
