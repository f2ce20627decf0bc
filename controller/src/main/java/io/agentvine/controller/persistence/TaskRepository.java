package io.agentvine.controller.persistence;

import io.agentvine.model.WorkOrderState;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.PageableRepository;
import io.micronaut.data.repository.jpa.JpaSpecificationExecutor;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface TaskRepository extends PageableRepository<TaskRow, String>, JpaSpecificationExecutor<TaskRow> {
    Optional<TaskRow> findByIdempotencyKey(String idempotencyKey);

    /** The row, locked until the surrounding transaction ends (every read-modify-write of a task uses it). */
    Optional<TaskRow> findByIdForUpdate(String id);

    long countByState(WorkOrderState state);

    /** Title, repository and step of each of {@code ids} that exists, in one query (worker cards, queue listings). */
    List<TaskSummary> findByIdIn(Collection<String> ids);

    /** Whole rows of {@code ids} that exist, in one query (a chain's tasks). */
    List<TaskRow> findAllByIdIn(Collection<String> ids);
}
