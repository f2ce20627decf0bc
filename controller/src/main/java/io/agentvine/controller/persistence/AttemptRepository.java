package io.agentvine.controller.persistence;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AttemptRepository extends CrudRepository<AttemptRow, Long> {
    Optional<AttemptRow> findByTaskIdAndAttempt(String taskId, int attempt);

    List<AttemptRow> findByTaskIdOrderByAttempt(String taskId);
}
