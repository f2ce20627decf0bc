package io.agentvine.controller.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface EventRepository extends CrudRepository<EventRow, Long> {
    List<EventRow> findTop500ByIdGreaterThanOrderById(long afterId);

    void deleteByTaskIdAndType(String taskId, String type);

    @Query("SELECT COALESCE(MAX(id), 0) FROM events")
    long latestId();
}
