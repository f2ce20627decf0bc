package io.agentvine.controller.persistence;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ClarificationRepository extends CrudRepository<ClarificationRow, String> {
    /** The row, locked until the surrounding transaction ends: two answers race for it. */
    Optional<ClarificationRow> findByIdForUpdate(String id);

    List<ClarificationRow> findByStatusOrderByCreatedAt(String status);

    List<ClarificationRow> findByTaskIdOrderByCreatedAt(String taskId);

    List<ClarificationRow> findTop500OrderByCreatedAtDesc();

    List<ClarificationRow> findByStatusAndExpiresAtLessThanEquals(String status, Instant now);

    List<ClarificationRow> findByWorkOrderIdAndStatus(String workOrderId, String status);

    /** Requests with {@code status} (the pending ones: a gauge, {@code agentvine_clarifications_pending}). */
    long countByStatus(String status);
}
