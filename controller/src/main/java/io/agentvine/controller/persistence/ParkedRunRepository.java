package io.agentvine.controller.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ParkedRunRepository extends CrudRepository<ParkedRunRow, String> {

    /** Parked tasks whose request is decided (answered, approved, rejected, expired or orphaned): due to go back. */
    @Query("""
            SELECT p.task_id FROM parked_runs p
            JOIN tasks t ON t.id = p.task_id
            JOIN clarifications c ON c.id = p.request_id
            WHERE t.state = 'parked' AND c.status <> 'pending'
            ORDER BY p.parked_at LIMIT :limit""")
    List<String> decidedTaskIds(int limit);
}
